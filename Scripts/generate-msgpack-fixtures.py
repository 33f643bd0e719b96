"""Writes Tests/Fixtures/alpaca/msgpack/*.msgpack with the `msgpack` PyPI package (the reference implementation
alpaca-py uses), for TradewindAlpacaTests' MessagePackTests: Tradewind's encoder must write these bytes for the same
values and its decoder must read them back.

Usage: python3 Scripts/generate-msgpack-fixtures.py   (needs `pip install msgpack==1.2.4`; output is committed)
"""
import os

import msgpack
from msgpack import Timestamp

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "alpaca", "msgpack")
os.makedirs(out, exist_ok=True)

fixtures = {
    # What the exchange's data stream sends (the key order of AlpacaDataMessage.messagePack).
    "connected": [{"T": "success", "msg": "connected"}],
    "auth-error": [{"T": "error", "code": 402, "msg": "auth failed"}],
    "subscription": [{"T": "subscription", "trades": [], "quotes": [], "bars": ["AAPL", "SPY"]}],
    "bars": [
        {"T": "b", "S": "SPY", "o": 388.985, "h": 389.13, "l": 388.975, "c": 389.12, "v": 49378,
         "t": Timestamp(1614099060, 0), "n": 461, "vw": 389.062639},
        {"T": "b", "S": "AAPL", "o": 126.62, "h": 126.7, "l": 126.6, "c": 126.65, "v": 1200,
         "t": Timestamp(1614099120, 0), "n": 12, "vw": 126.64},
    ],
    # What alpaca-py's StockDataStream sends.
    "auth": {"action": "auth", "key": "PKTEST", "secret": "test-secret"},
    "subscribe": {"action": "subscribe", "bars": ["SPY", "AAPL"]},
    # Every format family: fix/8/16/32 strings, arrays and maps; ints of each width and sign; floats; nil; bools;
    # binary; timestamps 32, 64 (nanoseconds) and 96 (before 1970); another extension type.
    "kitchen-sink": [
        None, True, False, 0, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**63 - 1,
        -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63,
        0.5, -1234.5678, 1e300,
        "", "a" * 31, "b" * 32, "c" * 255, "d" * 256, "é" * 200,
        b"\x00\x01\x02", b"x" * 300,
        list(range(15)), list(range(16)), list(range(300)),
        {str(k): k for k in range(15)}, {str(k): k for k in range(16)},
        Timestamp(0, 0), Timestamp(1614099060, 123456789), Timestamp(-1, 500), Timestamp(2**34, 0),
        msgpack.ExtType(5, b"abcd"), msgpack.ExtType(7, b"xyz"),
    ],
}
for name, value in fixtures.items():
    with open(os.path.join(out, name + ".msgpack"), "wb") as f:
        f.write(msgpack.packb(value, use_bin_type=True))
print("wrote", len(fixtures), "fixtures to", os.path.normpath(out))
