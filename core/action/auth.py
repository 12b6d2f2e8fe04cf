"""How an action authenticates: one model per ``auth.type``, told apart by that field."""

from typing import Annotated, Literal, Union

from pydantic import Field, field_validator

from ..http.headers import name_problem
from .base import FileModel
from .urls import check_url

AUTH_TYPES = ("none", "bearer", "basic", "header", "body", "oauth2_client_credentials")


class NoAuth(FileModel):
    type: Literal["none"] = "none"


class BearerAuth(FileModel):
    type: Literal["bearer"] = "bearer"
    token: str


class BasicAuth(FileModel):
    type: Literal["basic"] = "basic"
    username: str
    password: str


class HeaderAuth(FileModel):
    type: Literal["header"] = "header"
    name: str = "X-API-Key"
    value: str

    @field_validator("name")
    @classmethod
    def _header_name(cls, name: str) -> str:
        issue = name_problem(name)
        if issue:
            raise ValueError(issue)
        return name


class BodyAuth(FileModel):
    type: Literal["body"] = "body"
    fields: dict[str, str]


class OAuth2ClientCredentials(FileModel):
    """OAuth2 client credentials: a token is fetched from ``token_url`` and sent as a bearer token."""

    type: Literal["oauth2_client_credentials"] = "oauth2_client_credentials"
    token_url: str
    client_id: str
    client_secret: str
    scope: str = ""
    #: how the client authenticates at the token endpoint: HTTP basic (the RFC's default) or form fields
    client_auth: Literal["basic", "post"] = "basic"

    @field_validator("token_url")
    @classmethod
    def _token_url(cls, url: str) -> str:
        if "{{" in url:
            raise ValueError("the token URL is static; remove the {{placeholder}}")
        return check_url(url)


Auth = Annotated[Union[NoAuth, BearerAuth, BasicAuth, HeaderAuth, BodyAuth, OAuth2ClientCredentials],
                 Field(discriminator="type")]
