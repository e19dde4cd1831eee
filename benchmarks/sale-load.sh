#!/usr/bin/env bash
# Posts N demo sales (LOAD_PARALLEL at a time, default 4) to a running engine, then prints the engine's sale timings: the average
# server time of a sale and the rule engine's share of it (measured inside each sale).
#   benchmarks/sale-load.sh [N] [base URL]      e.g. benchmarks/sale-load.sh 2000 http://localhost:8080
set -euo pipefail
count="${1:-1000}"
base="${2:-http://localhost:8080}"
run="L$(date +%s)"
token=$(curl -s -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"manager@demo.local","password":"manager-demo"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
before=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/admin/engine/timings")
seq 1 "$count" | xargs -P "${LOAD_PARALLEL:-4}" -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST "$base/api/v1/pos/transactions" \
  -H 'X-Api-Key: demo-pos-S001' -H 'Content-Type: application/json' \
  -d "{\"cardNumber\":\"2900000000025\",\"storeId\":\"S001\",\"terminalId\":\"T1\",\"receiptId\":\"$run-{}\",
       \"occurredAt\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"currency\":\"EUR\",
       \"lines\":[{\"sku\":\"COF-250\",\"category\":\"coffee\",\"quantity\":2,\"unitPrice\":\"4.50\"},
                  {\"sku\":\"MILK\",\"category\":\"dairy\",\"quantity\":1,\"unitPrice\":\"1.15\"},
                  {\"sku\":\"BREAD\",\"category\":\"bakery\",\"quantity\":1,\"unitPrice\":\"2.40\"}]}" | sort | uniq -c
after=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/admin/engine/timings")
python3 - "$before" "$after" <<'PY'
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
n = a["sales"] - b["sales"]
sale = a["saleMicros"] * a["sales"] - b["saleMicros"] * b["sales"]
rules = a["rulesMicros"] * a["sales"] - b["rulesMicros"] * b["sales"]
print(f"{n} sales in this run: {sale / n / 1000:.2f} ms per sale on the server, rule engine {rules / n:.0f} us "
      f"({100 * rules / sale:.1f} % of the sale)")
PY
