"""Asks grpc.health.v1.Health/Check of a server with a gRPC implementation that is not ours (the
C-core binding, Debian's python3-grpcio), as a Kubernetes probe or grpc_health_probe would, and
prints the serving status (or the call's error code); with --watch, asks Health/Watch and prints
each status the stream sends, one per line as it arrives, then END when the server ends the stream. The request and response are encoded by
hand, so nothing of this project, not even its protos, takes part.

Usage: grpc_health_check.py [--watch] HOST:PORT [SERVICE]
"""
import sys

import grpc

STATUSES = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}


def encode_request(service: str) -> bytes:
    # HealthCheckRequest { string service = 1; }: an empty string is the absent field.
    name = service.encode()
    assert len(name) < 128, "one-byte length prefix"
    return b"\x0a" + bytes([len(name)]) + name if name else b""


def decode_status(response: bytes) -> str:
    # HealthCheckResponse { ServingStatus status = 1; }: absent means 0, UNKNOWN.
    if not response:
        return STATUSES[0]
    assert response[0] == 0x08, f"unexpected response {response!r}"
    return STATUSES.get(response[1], f"status {response[1]}")


def main() -> int:
    args = sys.argv[1:]
    watch = args[:1] == ["--watch"]
    if watch:
        args = args[1:]
    target = args[0]
    service = args[1] if len(args) > 1 else ""
    with grpc.insecure_channel(target) as channel:
        try:
            if watch:
                for response in channel.unary_stream("/grpc.health.v1.Health/Watch")(encode_request(service)):
                    print(decode_status(response), flush=True)
                print("END", flush=True)
            else:
                print(decode_status(channel.unary_unary("/grpc.health.v1.Health/Check")(encode_request(service), timeout=10)))
        except grpc.RpcError as error:
            print(error.code().name, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
