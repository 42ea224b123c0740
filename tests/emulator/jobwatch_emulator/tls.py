# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTPS with a throwaway CA (``--tls``), made by ``trustme``.

``trustme`` is imported only here and only when HTTPS is asked for, so the emulator stays
standard-library-only otherwise. In-process::

    context, ca_path = tls.throwaway_ca(directory)
    with Emulator(ssl_context=context) as emu:
        requests.get(emu.url + "/_emulator/health", verify=ca_path)
"""

import os
import ssl
from typing import Sequence, Tuple

CA_FILE = "ca.pem"
CA_VARIABLE = "JOBWATCH_EMULATOR_CA"
# The names the certificate is for: what a client reaches the emulator by.
HOSTNAMES = ("127.0.0.1", "localhost")
# --tls-hostname-mismatch: a certificate for a name no client uses (.invalid is reserved, RFC 2606).
MISMATCHED_HOSTNAMES = ("not-this-host.invalid",)


def throwaway_ca(directory: str, hostnames: Sequence[str] = HOSTNAMES) -> Tuple[ssl.SSLContext, str]:
    """(server-side context, path of the CA certificate): a new CA, a certificate it signed for
    ``hostnames``, and the CA's certificate written to ``directory/ca.pem`` (made if missing).

    Raises ImportError with a hint when ``trustme`` is not installed, OSError when the file
    cannot be written.
    """
    try:
        import trustme  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise ImportError("HTTPS needs the trustme package (pip install trustme): %s" % exc) from exc
    authority = trustme.CA(organization_name="jobwatch emulator throwaway CA")
    certificate = authority.issue_cert(*hostnames)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(os.path.abspath(directory), CA_FILE)
    # Written whole, then renamed: a script that sees the file never reads half of it.
    partial = path + ".partial"
    with open(partial, "wb") as handle:
        handle.write(authority.cert_pem.bytes())
    os.replace(partial, path)
    return context, path
