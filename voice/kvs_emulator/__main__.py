"""``python -m voice.kvs_emulator``: serve the KVS emulator until interrupted."""

from __future__ import annotations

import argparse
import logging

from voice.kvs_emulator.emulator import EmulatorConfig
from voice.kvs_emulator.server import DEFAULT_HOST, DEFAULT_PORT, run


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Local Kinesis Video Streams emulator")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--session-limit-seconds",
        type=float,
        default=None,
        help="end every GetMedia response after this long (clients must resume)",
    )
    parser.add_argument(
        "--advertised-url", default=None, help="URL GetDataEndpoint returns (default: request's)"
    )
    parser.add_argument("--log-level", default="info")
    return parser.parse_args()


def main() -> None:
    args = _parse_args()
    logging.basicConfig(level=args.log_level.upper())
    config = EmulatorConfig(
        session_limit_seconds=args.session_limit_seconds, advertised_url=args.advertised_url
    )
    run(args.host, args.port, config=config, log_level=args.log_level)


if __name__ == "__main__":
    main()
