# A private Zabbix 6.0 from Debian's packages (sourced after agent.sh, bash):
# PostgreSQL in $KT_TMP/pg (Unix socket only, no TCP), the Zabbix frontend
# copied to $KT_TMP/web (its configuration path is compiled into it) served
# by PHP's web server on 127.0.0.1, and zabbix_server listening on
# 127.0.0.1.  Everything is stopped with the test (kt_pids).
#
#   kt_zbx_have            whether the packages are there (else: skip)
#   kt_zbx_start           database, schema, frontend, server; logs in
#   kt_zbx_stop            the server and its process group (call it from
#                          the EXIT trap, before kt_cleanup stops PostgreSQL)
#   kt_zbx_api METHOD JSON the result of a JSON-RPC call (jq-able JSON)
#   kt_zbx_reload          zabbix_server -R config_cache_reload
#   kt_zbx_wait SECONDS CMD...   CMD until it succeeds, every 2 s
#
# Sizes for a bigger Zabbix (bench/zabbix.sh), each with the test's small
# default: KT_ZBX_POLLERS, KT_ZBX_DBSYNCERS, KT_ZBX_CACHE,
# KT_ZBX_HISTORY_CACHE, KT_ZBX_HISTORY_INDEX_CACHE, KT_ZBX_TREND_CACHE,
# KT_ZBX_VALUE_CACHE, KT_ZBX_TIMEOUT; KT_PG_OPTS: more "-c name=value"
# for PostgreSQL.  KT_PG_PID is PostgreSQL's (its postmaster's parent's).

KT_ZBX_SCHEMA=/usr/share/zabbix-server-pgsql
KT_ZBX_WEB=/usr/share/zabbix
KT_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

kt_zbx_have() {
	[ -x /usr/sbin/zabbix_server ] && [ -f "$KT_ZBX_SCHEMA/schema.sql.gz" ] &&
		[ -f "$KT_ZBX_WEB/api_jsonrpc.php" ] && [ -x "$KT_PG_BIN/initdb" ] &&
		command -v php >/dev/null && command -v curl >/dev/null && command -v jq >/dev/null &&
		php -m | grep -qx pgsql
}

# kt_pg_as [--exec] CMD...: runs CMD as the database's owner (PostgreSQL
# refuses root).  --exec replaces the calling (sub)shell: a server started
# with `kt_pg_as --exec ... &` has the PID $! that the cleanup stops (a
# subshell's would leave the server running on a removed directory).
kt_pg_as() {
	local as=() ex=
	[ "$1" = --exec ] && ex=exec && shift
	[ "$(id -u)" = 0 ] && as=(setpriv --reuid postgres --regid postgres --init-groups)
	$ex "${as[@]}" "$@"
}

kt_free_port() { # a TCP port on 127.0.0.1 nobody listens on
	local p
	while :; do
		p=$((20000 + RANDOM % 12000)) # zabbix_server takes 1024..32767
		(echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
}

kt_zbx_start_db() {
	KT_PG=$KT_TMP/pg
	mkdir -p "$KT_PG"
	[ "$(id -u)" = 0 ] && chown postgres "$KT_PG" && chmod 755 "$KT_TMP"
	kt_pg_as "$KT_PG_BIN/initdb" -D "$KT_PG/data" -A trust -U zabbix -E UTF8 \
		>"$KT_TMP/initdb.log" 2>&1 || { cat "$KT_TMP/initdb.log"; return 1; }
	kt_pg_as --exec "$KT_PG_BIN/postgres" -D "$KT_PG/data" -c listen_addresses= \
		-c unix_socket_directories="$KT_PG" -c fsync=off -c synchronous_commit=off \
		-c full_page_writes=off ${KT_PG_OPTS:-} >"$KT_TMP/postgres.log" 2>&1 &
	# shellcheck disable=SC2034 # read by bench/zabbix.sh
	KT_PG_PID=$!
	kt_pids+=($!)
	kt_wait_for 600 kt_pg_as "$KT_PG_BIN/pg_isready" -q -h "$KT_PG" || return 1
	kt_pg_as "$KT_PG_BIN/createdb" -h "$KT_PG" -U zabbix zabbix || return 1
	local f
	for f in schema images data; do
		zcat "$KT_ZBX_SCHEMA/$f.sql.gz" |
			kt_pg_as "$KT_PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h "$KT_PG" -U zabbix zabbix \
				>>"$KT_TMP/schema.log" 2>&1 || { tail "$KT_TMP/schema.log"; return 1; }
	done
}

kt_zbx_start_web() {
	KT_WEB_PORT=$(kt_free_port)
	cp -a "$KT_ZBX_WEB" "$KT_TMP/web" || return 1
	# The frontend reads its configuration from a path compiled in.
	sed -i "s|'/etc/zabbix/zabbix.conf.php'|'$KT_TMP/zabbix.conf.php'|" \
		"$KT_TMP/web/include/classes/core/CConfigFile.php"
	cat >"$KT_TMP/zabbix.conf.php" <<-EOF
	<?php
	\$DB['TYPE'] = ZBX_DB_POSTGRESQL;
	\$DB['SERVER'] = '$KT_PG';
	\$DB['PORT'] = '0';
	\$DB['DATABASE'] = 'zabbix';
	\$DB['USER'] = 'zabbix';
	\$DB['PASSWORD'] = '';
	\$DB['SCHEMA'] = '';
	\$DB['ENCRYPTION'] = false;
	\$DB['DOUBLE_IEEE754'] = true;
	\$ZBX_SERVER = '127.0.0.1';
	\$ZBX_SERVER_PORT = '$KT_ZBX_PORT';
	\$ZBX_SERVER_NAME = 'kvmtop-test';
	\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
	EOF
	php -d memory_limit=512M -d max_execution_time=300 -S "127.0.0.1:$KT_WEB_PORT" \
		-t "$KT_TMP/web" >"$KT_TMP/php.log" 2>&1 &
	kt_pids+=($!)
	KT_ZBX_URL=http://127.0.0.1:$KT_WEB_PORT/api_jsonrpc.php
	kt_wait_for 300 curl -sf -o /dev/null "http://127.0.0.1:$KT_WEB_PORT/index.php"
}

kt_zbx_start_server() {
	cat >"$KT_TMP/zabbix_server.conf" <<-EOF
	ListenIP=127.0.0.1
	ListenPort=$KT_ZBX_PORT
	LogFile=$KT_TMP/zabbix_server.log
	LogFileSize=0
	DebugLevel=3
	PidFile=$KT_TMP/zabbix_server.pid
	SocketDir=$KT_TMP
	DBHost=$KT_PG
	DBName=zabbix
	DBUser=zabbix
	AllowRoot=1
	StartPollers=${KT_ZBX_POLLERS:-5}
	StartPollersUnreachable=1
	StartTrappers=1
	StartPingers=0
	StartDiscoverers=0
	StartHTTPPollers=0
	StartAlerters=1
	StartLLDProcessors=2
	StartDBSyncers=${KT_ZBX_DBSYNCERS:-4}
	CacheSize=${KT_ZBX_CACHE:-64M}
	HistoryCacheSize=${KT_ZBX_HISTORY_CACHE:-16M}
	HistoryIndexCacheSize=${KT_ZBX_HISTORY_INDEX_CACHE:-4M}
	TrendCacheSize=${KT_ZBX_TREND_CACHE:-4M}
	ValueCacheSize=${KT_ZBX_VALUE_CACHE:-8M}
	Timeout=${KT_ZBX_TIMEOUT:-5}
	UnavailableDelay=5
	UnreachableDelay=5
	UnreachablePeriod=30
	EOF
	# In a process group of its own: its HA manager outlives a server that
	# stops while the database is going away; kt_zbx_stop ends the group.
	setsid /usr/sbin/zabbix_server -f -c "$KT_TMP/zabbix_server.conf" >>"$KT_TMP/zabbix_server.out" 2>&1 &
	KT_ZBX_SERVER_PID=$!
	kt_wait_for 600 grep -q "server #0 started" "$KT_TMP/zabbix_server.log"
}

# Stops zabbix_server and every process of its group (before the database).
kt_zbx_stop() {
	[ -n "${KT_ZBX_SERVER_PID:-}" ] || return 0
	kill -TERM -- "-$KT_ZBX_SERVER_PID" 2>/dev/null
	kt_wait_for 300 eval '! kill -0 -- "-$KT_ZBX_SERVER_PID" 2>/dev/null' ||
		kill -KILL -- "-$KT_ZBX_SERVER_PID" 2>/dev/null
	wait "$KT_ZBX_SERVER_PID" 2>/dev/null
	KT_ZBX_SERVER_PID=
}

kt_zbx_start() {
	KT_ZBX_PORT=$(kt_free_port)
	kt_zbx_start_db || return 1
	kt_zbx_start_web || return 1
	kt_zbx_start_server || return 1
	KT_ZBX_AUTH=null
	KT_ZBX_AUTH=$(kt_zbx_api user.login '{"username":"Admin","password":"zabbix"}' | jq -r .) &&
		[ -n "$KT_ZBX_AUTH" ] && [ "$KT_ZBX_AUTH" != null ]
}

# kt_zbx_api METHOD PARAMS: prints .result; on an error prints it to stderr
# and fails.
kt_zbx_api() {
	local auth=null out
	[ "${KT_ZBX_AUTH:-null}" != null ] && auth="\"$KT_ZBX_AUTH\""
	out=$(jq -n --arg m "$1" --argjson p "$2" --argjson a "$auth" \
		'{jsonrpc: "2.0", method: $m, params: $p, auth: $a, id: 1}' |
		curl -s -m 120 -H 'Content-Type: application/json-rpc' --data-binary @- "$KT_ZBX_URL") || return 1
	if [ "$(jq -r 'has("result")' <<<"$out" 2>/dev/null)" != true ]; then
		echo "zabbix api $1: $out" | head -c 2000 >&2
		echo >&2
		return 1
	fi
	jq -c .result <<<"$out"
}

kt_zbx_reload() {
	/usr/sbin/zabbix_server -c "$KT_TMP/zabbix_server.conf" -R config_cache_reload >/dev/null 2>&1
}

# kt_zbx_wait SECONDS CMD...: runs CMD every 2 s until it succeeds.
kt_zbx_wait() {
	local limit=$1 start
	shift
	start=$(date +%s)
	until "$@"; do
		[ $(($(date +%s) - start)) -ge "$limit" ] && return 1
		sleep 2
	done
}
