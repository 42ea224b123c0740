# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: ``python -m jobwatch_emulator [options] [-- COMMAND ARGS...]``.

Without a command: serve until SIGTERM/SIGINT. With one: serve on a free port while COMMAND
runs with ``JOBWATCH_EMULATOR_URL`` (and with ``--tls`` ``JOBWATCH_EMULATOR_CA``) in its
environment, then exit with COMMAND's exit code.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

from . import creations, iam, quotas, tls
from .server import Emulator

URL_VARIABLE = "JOBWATCH_EMULATOR_URL"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m jobwatch_emulator",
        usage="%(prog)s [options] [-- COMMAND ARGS...]",
        description="Local stand-in for Huawei Cloud's API gateway, IAM, ECS, DataArts and CFW job APIs, "
                    "and Alibaba Cloud's gateway with DataWorks GetJobStatus.",
        epilog="With a COMMAND after --, run it with %s set and exit with its exit code." % URL_VARIABLE,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument("--jobs", metavar="FILE", help='JSON jobs document: {"jobs": [...], "credentials": {...}, "quotas": [...]}')
    parser.add_argument("--token-ttl", type=float, default=iam.DEFAULT_TOKEN_TTL, metavar="SECONDS",
                        help="lifetime of IAM tokens (default: %(default)s)")
    parser.add_argument("--clock-skew", type=float, default=0.0, metavar="SECONDS",
                        help="make the gateways' clock run this far ahead (negative: behind) for signature date checks "
                             "only: more than 900 and correctly signed requests are refused as skewed (default: 0)")
    parser.add_argument("--created-job-seconds", type=float, default=creations.DEFAULT_SECONDS, metavar="SECONDS",
                        help="how long a job started by a creation call (ECS create servers, CFW create firewall, DataArts "
                             "start/stop, DataWorks ImportWorkflowDefinition) takes to reach its final status; a jobs "
                             "file's \"created_jobs\" may give each kind its own timeline (default: %(default)s)")
    parser.add_argument("--quota", action="append", default=[], type=_quota, metavar="LIMIT/WINDOW[:SCOPE]",
                        help="a per-credential request quota: at most LIMIT requests per WINDOW seconds (sliding) for each "
                             "AK, IAM user or AccessKey, then throttling answers; SCOPE a service (ecs, dataarts, cfw, dataworks, "
                             "iam) or an API (ecs.show_job), default every API; repeatable, added to the jobs file's \"quotas\"")
    parser.add_argument("--port-file", metavar="FILE", help="write the port number to FILE once listening")
    parser.add_argument("--tls", action="store_true",
                        help="serve HTTPS with a certificate for 127.0.0.1 and localhost from a throwaway CA (needs trustme); "
                             "the CA certificate is written as ca.pem to --tls-dir, else beside --port-file, else to a "
                             "temporary directory, and named on the listening line and in %s" % tls.CA_VARIABLE)
    parser.add_argument("--tls-dir", metavar="DIR", help="where --tls writes ca.pem")
    parser.add_argument("--tls-hostname-mismatch", action="store_true",
                        help="like --tls, but the certificate is for another name (%s): clients see a hostname "
                             "mismatch even with the CA" % tls.MISMATCHED_HOSTNAMES[0])
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser


def _quota(text: str):
    try:
        return quotas.parse_option(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _split_command(argv):
    """Options before the first "--", COMMAND after it (argparse would mix them up)."""
    if "--" in argv:
        index = argv.index("--")
        return argv[:index], argv[index + 1:]
    return argv, []


def _write_port_file(path: str, port: int) -> None:
    # Written whole, then renamed: a script polling for the file never reads half of it.
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write("%d\n" % port)
    os.replace(partial, path)


def _stop_on_signal() -> threading.Event:
    # Set before the emulator says it listens: a SIGTERM right after that line must stop it cleanly.
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stop.set())
    return stop


def _serve_until(stop: threading.Event) -> int:
    while not stop.wait(0.5):
        pass
    return 0


def _https(args):
    """(server context, ca.pem path, temporary directory to remove or None) for --tls; Nones without it."""
    if not (args.tls or args.tls_hostname_mismatch):
        return None, None, None
    directory, temporary = args.tls_dir, None
    if directory is None and args.port_file:
        directory = os.path.dirname(os.path.abspath(args.port_file))
    if directory is None:
        directory = temporary = tempfile.mkdtemp(prefix="jobwatch-emulator-tls-")
    hostnames = tls.MISMATCHED_HOSTNAMES if args.tls_hostname_mismatch else tls.HOSTNAMES
    try:
        context, ca_path = tls.throwaway_ca(directory, hostnames)
    except BaseException:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
        raise
    return context, ca_path, temporary


def _run_command(emulator: Emulator, command, ca_path=None) -> int:
    env = dict(os.environ, **{URL_VARIABLE: emulator.url})
    if ca_path:
        env[tls.CA_VARIABLE] = ca_path
    try:
        child = subprocess.Popen(command, env=env)  # pylint: disable=consider-using-with
    except OSError as exc:
        sys.stderr.write("jobwatch emulator: cannot run %s: %s\n" % (command[0], exc))
        return 127
    # Like a shell running a foreground job: Ctrl-C reaches the child through the terminal, and
    # a SIGTERM sent to us is passed on, so the child never outlives the emulator it talks to.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, _frame: child.send_signal(signum))
    returncode = child.wait()
    return 128 - returncode if returncode < 0 else returncode


def main(argv=None) -> int:
    options, command = _split_command(sys.argv[1:] if argv is None else list(argv))
    args = _parser().parse_args(options)
    document = {}
    if args.jobs:
        try:
            with open(args.jobs, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as exc:
            sys.stderr.write("jobwatch emulator: cannot read jobs file %s: %s\n" % (args.jobs, exc))
            return 2
    try:
        ssl_context, ca_path, temporary = _https(args)
    except (ImportError, OSError) as exc:
        sys.stderr.write("jobwatch emulator: %s\n" % exc)
        return 2
    try:
        return _serve(args, document, command, ssl_context, ca_path)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


def _serve(args, document, command, ssl_context, ca_path) -> int:
    try:
        emulator = Emulator(jobs=document, token_ttl=args.token_ttl, host=args.host, port=args.port, verbose=args.verbose,
                            clock_skew=args.clock_skew, ssl_context=ssl_context, created_job_seconds=args.created_job_seconds,
                            quotas=args.quota)
    except (ValueError, TypeError, OSError) as exc:
        sys.stderr.write("jobwatch emulator: %s\n" % exc)
        return 2

    stop = None if command else _stop_on_signal()
    with emulator:
        # ca.pem is already written: once the port file exists, so does the CA certificate.
        if args.port_file:
            _write_port_file(args.port_file, emulator.port)
        # With a command, stdout belongs to it.
        announce = sys.stderr if command else sys.stdout
        announce.write("jobwatch emulator listening on %s%s\n" % (emulator.url, " (CA certificate: %s)" % ca_path if ca_path else ""))
        announce.flush()
        return _run_command(emulator, command, ca_path) if command else _serve_until(stop)


if __name__ == "__main__":
    sys.exit(main())
