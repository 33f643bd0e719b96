"""What the alpaca-py checks share: a named check that records failures, and the exchange's manual clock."""
import json
import os
import sys
import urllib.request


class Checks:
    def __init__(self, base):
        self.base = base
        self.key, self.secret = os.environ["APCA_API_KEY_ID"], os.environ["APCA_API_SECRET_KEY"]
        self.failures = []

    def check(self, what, ok):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            self.failures.append(what)

    def advance(self, steps=1):
        """Plays `steps` bars of the exchange's manual clock (`POST /tradewind/clock/advance`)."""
        req = urllib.request.Request(f"{self.base}/tradewind/clock/advance?steps={steps}", method="POST",
                                     headers={"APCA-API-KEY-ID": self.key, "APCA-API-SECRET-KEY": self.secret})
        return json.load(urllib.request.urlopen(req))

    def finish(self, passed):
        """Exits non-zero when a check failed, else prints `passed`."""
        if self.failures:
            print(f"{len(self.failures)} check(s) failed")
            sys.exit(1)
        print(passed)
