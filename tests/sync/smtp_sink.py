#!/usr/bin/env python3
# A local SMTP sink for the notification tests (issue 11): Debian's python3-aiosmtpd on
# 127.0.0.1:PORT, each accepted message written to DIR/NNNN.eml (whole, then renamed).
# While DIR/stall exists, DATA is received but not answered (DIR/stalled marks it), so a test can
# kill the sender between "message sent" and "250 accepted".
import asyncio
import os
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        stall = os.path.join(self.folder, "stall")
        if os.path.exists(stall):
            with open(os.path.join(self.folder, "stalled"), "w") as f:
                f.write("1")
            while os.path.exists(stall):
                await asyncio.sleep(0.05)
        self.count += 1
        name = os.path.join(self.folder, "%04d.eml" % self.count)
        with open(name + ".tmp", "wb") as f:
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content)
        os.rename(name + ".tmp", name)
        return "250 OK"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    with open(os.path.join(folder, "ready.tmp"), "w") as f:
        f.write(str(os.getpid()))
    os.rename(os.path.join(folder, "ready.tmp"), os.path.join(folder, "ready"))
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
