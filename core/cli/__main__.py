from . import start

start()
