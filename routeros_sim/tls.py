"""A throwaway self-signed certificate for the simulator's TLS listener, made with the openssl CLI."""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CertFiles:
    directory: str
    cert: str
    key: str

    def cleanup(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def self_signed(host: str = "127.0.0.1") -> CertFiles:
    """Write a key and a self-signed certificate valid for ``localhost``, ``127.0.0.1`` and ``host``.

    The certificate is its own CA, so a client trusts it with ``ctx.load_verify_locations(cert)``.
    """
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("TLS needs the openssl command-line tool")
    names = ["DNS:localhost", "IP:127.0.0.1"]
    try:
        if host not in ("127.0.0.1", "0.0.0.0", "", "::") and ipaddress.ip_address(host):
            names.append(f"IP:{host}")
    except ValueError:
        names.append(f"DNS:{host}")
    directory = tempfile.mkdtemp(prefix="routeros-sim-")
    cert, key = str(Path(directory, "cert.pem")), str(Path(directory, "key.pem"))
    command = [
        openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=routeros-sim",
        "-addext", f"subjectAltName={','.join(names)}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
        "-addext", "extendedKeyUsage=serverAuth",
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError(f"could not create a TLS certificate: {exc}") from exc
    return CertFiles(directory, cert, key)
