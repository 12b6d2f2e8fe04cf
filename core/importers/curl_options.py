"""curl's command line, read the way curl reads it: which options take a value, short clusters, prefixes.

The option table is curl's own (``curl --help all`` of curl 7.88, plus the value-taking options
added up to curl 8.x), so the value of an option we do not use (``--trace-ascii log.txt``) is
never mistaken for the URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ImportSourceError

#: Long options that take a value.
WITH_VALUE = frozenset("""
abstract-unix-socket alt-svc aws-sigv4 cacert capath cert cert-type ciphers config connect-timeout connect-to
continue-at cookie cookie-jar create-file-mode crlfile curves data data-ascii data-binary data-raw data-urlencode
delegation dns-interface dns-ipv4-addr dns-ipv6-addr dns-servers doh-url dump-header egd-file engine etag-compare
etag-save expect100-timeout form form-string ftp-account ftp-alternative-to-user ftp-method ftp-port
ftp-ssl-ccc-mode happy-eyeballs-timeout-ms header help hostpubmd5 hostpubsha256 hsts interface json keepalive-time
key key-type krb libcurl limit-rate local-port login-options mail-auth mail-from mail-rcpt max-filesize max-redirs
max-time netrc-file noproxy oauth2-bearer output output-dir parallel-max pass pinnedpubkey preproxy proto
proto-default proto-redir proxy proxy-cacert proxy-capath proxy-cert proxy-cert-type proxy-ciphers proxy-crlfile
proxy-header proxy-key proxy-key-type proxy-pass proxy-pinnedpubkey proxy-service-name proxy-tls13-ciphers
proxy-tlsauthtype proxy-tlspassword proxy-tlsuser proxy-user proxy1.0 pubkey quote random-file range rate referer
request request-target resolve retry retry-delay retry-max-time sasl-authzid service-name socks4 socks4a socks5
socks5-gssapi-service socks5-hostname speed-limit speed-time stderr telnet-option tftp-blksize time-cond tls-max
tls13-ciphers tlsauthtype tlspassword tlsuser trace trace-ascii unix-socket upload-file url url-query user
user-agent write-out
variable ech ip-tos vlan-priority trace-config haproxy-clientip ipfs-gateway ssl-sessions sigalgs knownhosts
upload-flags parallel-host proxy-ca-native-file
""".split())

#: Long options that take no value (a ``no-`` prefix turns most of them off).
FLAGS = frozenset("""
anyauth append basic cert-status compressed compressed-ssh create-dirs crlf digest disable disable-eprt
disable-epsv disallow-username-in-url doh-cert-status doh-insecure fail fail-early fail-with-body false-start
form-escape ftp-create-dirs ftp-pasv ftp-pret ftp-skip-pasv-ip ftp-ssl-ccc ftp-ssl-control get globoff
haproxy-protocol head http0.9 http1.0 http1.1 http2 http2-prior-knowledge http3 http3-only ignore-content-length
include insecure ipv4 ipv6 junk-session-cookies list-only location location-trusted mail-rcpt-allowfails manual
metalink negotiate netrc netrc-optional next no-alpn no-buffer no-clobber no-keepalive no-npn no-progress-meter
no-sessionid ntlm ntlm-wb parallel parallel-immediate path-as-is post301 post302 post303 progress-bar
proxy-anyauth proxy-basic proxy-digest proxy-insecure proxy-negotiate proxy-ntlm proxy-ssl-allow-beast
proxy-ssl-auto-client-cert proxy-tlsv1 proxytunnel raw remote-header-name remote-name remote-name-all remote-time
remove-on-error retry-all-errors retry-connrefused sasl-ir show-error silent socks5-basic socks5-gssapi
socks5-gssapi-nec ssl ssl-allow-beast ssl-auto-client-cert ssl-no-revoke ssl-reqd ssl-revoke-best-effort sslv2
sslv3 styled-output suppress-connect-headers tcp-fastopen tcp-nodelay tftp-no-options tlsv1 tlsv1.0 tlsv1.1
tlsv1.2 tlsv1.3 tr-encoding trace-time use-ascii verbose version xattr
ca-native proxy-ca-native mptcp skip-existing follow out-null proxy-http2 tls-earlydata
""".split())

SHORT = {
    "a": "append", "E": "cert", "K": "config", "C": "continue-at", "b": "cookie", "c": "cookie-jar", "d": "data",
    "q": "disable", "D": "dump-header", "f": "fail", "F": "form", "P": "ftp-port", "G": "get", "g": "globoff",
    "I": "head", "H": "header", "h": "help", "0": "http1.0", "i": "include", "k": "insecure", "4": "ipv4",
    "6": "ipv6", "j": "junk-session-cookies", "l": "list-only", "L": "location", "M": "manual", "m": "max-time",
    "n": "netrc", ":": "next", "N": "no-buffer", "o": "output", "Z": "parallel", "#": "progress-bar", "x": "proxy",
    "U": "proxy-user", "p": "proxytunnel", "Q": "quote", "r": "range", "e": "referer", "J": "remote-header-name",
    "O": "remote-name", "R": "remote-time", "X": "request", "S": "show-error", "s": "silent", "Y": "speed-limit",
    "y": "speed-time", "2": "sslv2", "3": "sslv3", "t": "telnet-option", "z": "time-cond", "1": "tlsv1",
    "T": "upload-file", "B": "use-ascii", "u": "user", "A": "user-agent", "v": "verbose", "V": "version",
    "w": "write-out",
}

ALL = WITH_VALUE | FLAGS


class CurlError(ImportSourceError):
    """The command is not one curl would run, or not one an action can express."""


@dataclass
class CurlArgs:
    """The options of one curl invocation, in the order given (the first ``--next`` part only)."""

    urls: list[str] = field(default_factory=list)
    options: list[tuple[str, str | None]] = field(default_factory=list)  # (long name, value or None)
    more_parts: bool = False  # --next: a second request follows

    def values(self, *names: str) -> list[str]:
        return [v for n, v in self.options if n in names and v is not None]

    def has(self, *names: str) -> bool:
        return any(n in names for n, _ in self.options)

    def last(self, *names: str) -> str | None:
        found = self.values(*names)
        return found[-1] if found else None


def long_name(word: str) -> str:
    """``--sil`` -> ``silent``: curl accepts an unambiguous prefix of a long option."""
    name = word[2:]
    if name in ALL:
        return name
    base = name[3:] if name.startswith("no-") and name[3:] in FLAGS else None
    if base:
        return "no-" + base
    hits = sorted(o for o in ALL if o.startswith(name))
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise CurlError(f"curl option {word} is ambiguous ({', '.join('--' + h for h in hits[:4])}); write it in full")
    raise CurlError(f"unknown curl option {word}; check the spelling (curl --help all lists them)")


def parse_argv(words: list[str]) -> CurlArgs:
    """The options and URLs after ``curl``. Raises CurlError for an unknown option or a missing value."""
    out = CurlArgs()
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word.startswith("--") and len(word) > 2:
            name = long_name(word)
            if name == "next":
                out.more_parts = True
                break
            if name in WITH_VALUE:
                if i >= len(words):
                    raise CurlError(f"curl option {word} needs a value; add it after the option")
                out.options.append((name, words[i]))
                i += 1
                if name == "url":
                    out.urls.append(words[i - 1])
            else:
                out.options.append((name, None))
        elif word.startswith("-") and len(word) > 1:
            j = 1
            while j < len(word):
                letter = word[j]
                name = SHORT.get(letter)
                if name is None:
                    raise CurlError(f"unknown curl option -{letter} in {word}; check the spelling")
                if name == "next":
                    out.more_parts = True
                    return out
                if name in WITH_VALUE:
                    value = word[j + 1:]
                    if not value:
                        if i >= len(words):
                            raise CurlError(f"curl option -{letter} needs a value; add it after the option")
                        value = words[i]
                        i += 1
                    out.options.append((name, value))
                    break
                out.options.append((name, None))
                j += 1
        else:
            out.urls.append(word)
    return out
