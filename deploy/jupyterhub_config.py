"""JupyterHub for a team: every user gets their own coopkit workbook (Voila), behind the Hub's login.

Read docs/DEPLOY.md first. What this file sets up:

- A user who logs in gets a single-user server that is not Jupyter: it is ``coopkit serve`` (Voila with
  sources stripped, no tracebacks, no raw files, idle kernels culled), wrapped by jhsingle-native-proxy,
  which checks the Hub's OAuth login on every request and lets only that user in. Nobody gets a
  notebook, a terminal or the contents API, so nobody can run code on the server.
- Saved cases go to the PostgreSQL database named by ``COOPKIT_DATABASE_URL`` (one store for the team).
- Servers nobody has used for an hour are stopped by jupyterhub-idle-culler; inside a server, kernels of
  closed pages are stopped after 15 minutes (coopkit.cli.KERNEL_IDLE_MINUTES).
- The Hub listens on 127.0.0.1 only; nginx in front terminates TLS (deploy/nginx-coopkit.conf).

Settings come from the environment of the ``jupyterhub`` process (e.g. a systemd unit's ``Environment=``),
so this file need not be edited:

``COOPKIT_BIN``            bin folder of the venv coopkit is installed in (default ``/opt/coopkit/venv/bin``)
``COOPKIT_DATABASE_URL``   ``postgresql+psycopg://coopkit_app:PASSWORD@db-host/coopkit`` (required)
``COOPKIT_HUB_STATE``      folder of the Hub's own state: its SQLite file and cookie secret
                           (default ``/var/lib/coopkit-hub``)
``COOPKIT_HUB_USERS``      user names allowed to log in, separated by spaces
``COOPKIT_HUB_ADMINS``     user names who may also manage the Hub (start/stop others' servers)

Run it with ``jupyterhub -f deploy/jupyterhub_config.py`` from the Hub's venv (jupyterhub,
jhsingle-native-proxy and jupyterhub-idle-culler installed there; configurable-http-proxy from npm on PATH).
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - JupyterHub defines get_config when it loads this file

COOPKIT_BIN = Path(os.environ.get("COOPKIT_BIN", "/opt/coopkit/venv/bin"))
HUB_BIN = Path(sys.executable).parent  # jhsingle-native-proxy and the idle culler live next to jupyterhub
STATE = Path(os.environ.get("COOPKIT_HUB_STATE", "/var/lib/coopkit-hub"))

# Same limit as `coopkit serve` (coopkit.cli.MAX_MESSAGE_BYTES): the per-user proxy must let a 50 MB upload
# through to Voila, or the browser's connection is closed before the worksheet can refuse the file in words.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024

# --------------------------------------------------------------------------- the Hub itself
c.JupyterHub.bind_url = "http://127.0.0.1:8000"  # nginx in front terminates TLS
c.JupyterHub.hub_bind_url = "http://127.0.0.1:8081"  # the Hub's API, for the proxy and the user servers
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"  # the Hub's users and tokens, not the cases
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.default_url = "/hub/home"  # after login: the Hub's home page with "Start My Server"
c.JupyterHub.cleanup_servers = True  # stopping the Hub stops the user servers too

# --------------------------------------------------------------------------- who may log in
# PAM (the Hub's default): the machine's own accounts. For the company's single sign-on, install
# oauthenticator and set e.g. c.JupyterHub.authenticator_class = "generic-oauth" with its client id,
# secret and URLs instead; the rest of this file stays as it is.
c.Authenticator.allowed_users = set(os.environ.get("COOPKIT_HUB_USERS", "").split())
c.Authenticator.admin_users = set(os.environ.get("COOPKIT_HUB_ADMINS", "").split())

# --------------------------------------------------------------------------- each user's server: coopkit serve
# jhsingle-native-proxy listens where the Hub tells it (JUPYTERHUB_SERVICE_URL), checks the login, strips the
# /user/NAME prefix and forwards to Voila on a free loopback port ({port}); Voila writes its links under the
# prefix ({base_url}). No preheated kernels: each user has a server of their own, and preheating one kernel per
# worksheet would cost every user about 20 kernels before they open a page.
c.Spawner.cmd = [
    str(HUB_BIN / "jhsingle-native-proxy"),
    "--ip=127.0.0.1",  # the Hub's proxy is on this machine; use 0.0.0.0 only with container spawners
    "--destport=0",
    "--ready-timeout=60",
    f"--websocket-max-message-size={MAX_MESSAGE_BYTES}",
    "--progressive",  # pass Voila's page on as it renders
    "--no-force-alive",  # report real activity only, so that the idle culler below can stop abandoned servers
    "--last-activity-interval=60",
    "--",
    str(COOPKIT_BIN / "coopkit"),
    "serve",
    "--port={port}",
    "--base-url={base_url}/",
    "--no-preheat",
]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120  # the first start imports the scientific stack
database_url = os.environ.get("COOPKIT_DATABASE_URL", "")
if not database_url:
    raise SystemExit("set COOPKIT_DATABASE_URL: the team's cases live in PostgreSQL (see docs/DEPLOY.md)")
c.Spawner.environment = {"COOPKIT_DATABASE_URL": database_url}
# LocalProcessSpawner (the default) runs each server as the user's own system account, without memory limits.
# With systemd, jupyterhub-systemdspawner caps each user (see docs/DEPLOY.md, "Memory"):
#   c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
#   c.SystemdSpawner.mem_limit = "3G"
#   c.SystemdSpawner.cpu_limit = 2.0

# --------------------------------------------------------------------------- stop servers nobody uses
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=300"],
    }
]
