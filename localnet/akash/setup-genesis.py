#!/usr/bin/env python3
"""Apply the dev-chain tweaks to an `akash init` genesis.json (see incentivesd.genesis_tweaks).

Usage: .venv/bin/python localnet/akash/setup-genesis.py data/config/genesis.json
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from incentivesd.genesis_tweaks import main

if __name__ == "__main__":
    sys.exit(main())
