#!/usr/bin/env bash
# Runs a command (the test suite) with a Redis for the tests that count as production does.
#
# When a Redis answers at TEST_REDIS_URL (by default redis://127.0.0.1:6379), it is used.
# Otherwise Debian's redis-server is installed if missing and a private one is started on
# a free port, without persistence, for this command only: TEST_REDIS_URL points the tests
# at it, and it is stopped when the command ends, whether the tests passed or not.
set -euo pipefail

url=${TEST_REDIS_URL:-redis://127.0.0.1:6379}
address=${url#redis://}
address=${address%%/*}
[[ $address == *:* ]] || address="$address:6379"

answers() {  # host port: does a Redis reply to PING there?
  (
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf 'PING\r\n' >&3
    read -r -t 2 reply <&3 && [[ $reply == +PONG* ]]
  ) 2>/dev/null
}

if answers "${address%:*}" "${address##*:}"; then
  exec "$@"
fi

command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null)
folder=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  if [[ -f $folder/redis.pid ]]; then
    kill "$(cat "$folder/redis.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do [[ -f $folder/redis.pid ]] || break; sleep 0.1; done
  fi
  rm -rf "$folder"
}
trap stop EXIT
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
  --daemonize yes --pidfile "$folder/redis.pid" --dir "$folder" --logfile "$folder/redis.log"
for _ in $(seq 1 50); do answers 127.0.0.1 "$port" && break; sleep 0.1; done
answers 127.0.0.1 "$port" || { cat "$folder/redis.log" >&2; exit 1; }
echo "Nothing answered at $url: running the tests with a private Redis on port $port."
export TEST_REDIS_URL="redis://127.0.0.1:$port"
"$@"
