#!/usr/bin/env bash
# Makes fixtures/ocsp: delegated responder certificates and OCSP responses
# signed by a real `openssl ocsp`, for the test PKI in fixtures/pki.
# Responses carry the time they were made; tests read producedAt from each
# and evaluate relative to it, so the files can be remade at any time.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PKI="$ROOT/fixtures/pki"
OUT="$ROOT/fixtures/ocsp"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
cd "$WORK"

INT="$PKI/int-good.pem"
INT_KEY="$PKI/int-good.key.pem"

say "delegated responder certificates (issued by the test intermediate)"
cat > ext.cnf <<'EOF'
[ocsp_signer]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
[no_eku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
EOF
responder() { # name keygen-args extension-section
  local name=$1 section=$3
  # shellcheck disable=SC2086
  openssl genpkey $2 -out "$name.key.pem" 2>/dev/null
  openssl req -new -key "$name.key.pem" -subj "/O=revoscope test PKI/CN=revoscope Test OCSP $name" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA "$INT" -CAkey "$INT_KEY" -set_serial "0x$4" -days 3650 \
    -extfile ext.cnf -extensions "$section" -sha256 -out "$OUT/$name.pem" 2>/dev/null
  cp "$name.key.pem" "$OUT/$name.key.pem"
}
responder responder-p384 "-algorithm EC -pkeyopt ec_paramgen_curve:P-384" ocsp_signer 3001
responder responder-rsa "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" ocsp_signer 3002
responder responder-no-eku "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" no_eku 3003

say "responder databases"
# index.txt: status, expiry, revocation "time,reason", serial, file, subject.
line() { printf '%s\t%s\t%s\t%s\tunknown\t%s\n' "$@"; }
line V 270130000000Z "" 2001 "/CN=leaf-90d.revoscope.test" > good.idx
line V 270130000000Z "" 2004 "/CN=leaf-must-staple.revoscope.test" >> good.idx
line R 270130000000Z "261115120000Z,keyCompromise" 2001 "/CN=leaf-90d.revoscope.test" > revoked.idx
line R 270130000000Z "261115120000Z,keyCompromise" 2004 "/CN=leaf-must-staple.revoscope.test" >> revoked.idx

say "requests"
openssl ocsp -issuer "$INT" -cert "$PKI/leaf-90d.pem" -no_nonce -reqout leaf-90d.req
openssl ocsp -sha256 -issuer "$INT" -cert "$PKI/leaf-90d.pem" -no_nonce -reqout leaf-90d-sha256.req
openssl ocsp -issuer "$INT" -cert "$PKI/leaf-must-staple.pem" -no_nonce -reqout leaf-must-staple.req
openssl ocsp -issuer "$INT" -cert "$PKI/leaf-6d.pem" -no_nonce -reqout leaf-6d.req

respond() { # output request index signer-cert signer-key [openssl ocsp options...]
  local out=$1 req=$2 idx=$3 cert=$4 key=$5
  shift 5
  openssl ocsp -index "$idx" -CA "$INT" -rsigner "$cert" -rkey "$key" -reqin "$req" -respout "$OUT/$out" "$@" 2>/dev/null
}

say "responses"
respond good.der leaf-90d.req good.idx "$INT" "$INT_KEY" -ndays 7 -resp_no_certs
respond good-by-key.der leaf-90d.req good.idx "$INT" "$INT_KEY" -ndays 7 -resp_key_id
respond good-sha256-certid.der leaf-90d-sha256.req good.idx "$INT" "$INT_KEY" -ndays 7
respond good-no-next-update.der leaf-90d.req good.idx "$INT" "$INT_KEY"
respond good-long-next-update.der leaf-90d.req good.idx "$INT" "$INT_KEY" -ndays 30
respond revoked.der leaf-90d.req revoked.idx "$INT" "$INT_KEY" -ndays 7
respond unknown.der leaf-6d.req good.idx "$INT" "$INT_KEY" -ndays 7
respond must-staple-good.der leaf-must-staple.req good.idx "$INT" "$INT_KEY" -ndays 7
respond must-staple-revoked.der leaf-must-staple.req revoked.idx "$INT" "$INT_KEY" -ndays 7
respond delegated-p384.der leaf-90d.req good.idx "$OUT/responder-p384.pem" responder-p384.key.pem -ndays 7 -rmd sha384
respond delegated-rsa.der leaf-90d.req good.idx "$OUT/responder-rsa.pem" responder-rsa.key.pem -ndays 7 -rmd sha256
respond delegated-rsa-pss.der leaf-90d.req good.idx "$OUT/responder-rsa.pem" responder-rsa.key.pem -ndays 7 -rmd sha256 \
  -rsigopt rsa_padding_mode:pss -rsigopt rsa_pss_saltlen:digest
respond delegated-no-eku.der leaf-90d.req good.idx "$OUT/responder-no-eku.pem" responder-no-eku.key.pem -ndays 7
# Another CA's key (the intermediate OneCRL lists by serial) answers for our leaf.
respond other-ca.der leaf-90d.req good.idx "$PKI/int-revoked-serial.pem" "$PKI/int-revoked-serial.key.pem" -ndays 7

# The same good response with one bit of its signature flipped (the last
# byte: -resp_no_certs puts the signature at the end).
cp "$OUT/good.der" "$OUT/bad-signature.der"
last=$(( $(stat -c %s "$OUT/bad-signature.der") - 1 ))
byte=$(od -An -tu1 -j "$last" -N1 "$OUT/bad-signature.der" | tr -d ' ')
printf "$(printf '\\%03o' $(( byte ^ 1 )))" | dd of="$OUT/bad-signature.der" bs=1 seek="$last" conv=notrunc 2>/dev/null

# Error statuses carry no responseBytes (RFC 6960 4.2.1): SEQUENCE { ENUMERATED n }.
printf '\x30\x03\x0a\x01\x01' > "$OUT/malformed-request.der"
printf '\x30\x03\x0a\x01\x02' > "$OUT/internal-error.der"
printf '\x30\x03\x0a\x01\x03' > "$OUT/try-later.der"
printf '\x30\x03\x0a\x01\x05' > "$OUT/sig-required.der"
printf '\x30\x03\x0a\x01\x06' > "$OUT/unauthorized.der"
head -c 100 "$OUT/good.der" > "$OUT/truncated.der"
cp good.idx "$OUT/good.idx"
cp revoked.idx "$OUT/revoked.idx"
say "wrote $(ls "$OUT" | wc -l) files to fixtures/ocsp"
