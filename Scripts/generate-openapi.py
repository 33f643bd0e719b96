#!/usr/bin/env python3
"""Writes Sources/TradewindServer/Resources/openapi.json, the OpenAPI 3.1 contract of `tradewind serve`.

The document is committed; this script is how it is edited (python3 Scripts/generate-openapi.py). The server test
`everyRegisteredRouteIsInTheOpenAPIDocument` checks the routes against it, and CI runs schemathesis against a server.
"""
import json
import os

def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}

def nullable(t, **extra):
    return {"type": [t, "null"], **extra}

def obj(props, required=None, extra=True):
    o = {"type": "object", "properties": props}
    if required:
        o["required"] = required
    if not extra:
        o["additionalProperties"] = False
    return o

def page_of(item):
    return obj({"items": {"type": "array", "items": item}, "total": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer"}, "offset": {"type": "integer"}}, ["items", "total", "limit", "offset"])

time = {"type": "string", "description": "ISO 8601 with offset"}
ntime = nullable("string", description="ISO 8601 with offset")

schemas = {
    "Error": obj({"error": {"type": "string"}, "message": {"type": "string"}, "field": nullable("string")},
                 ["error", "message", "field"]),
    "Health": obj({"status": {"type": "string", "enum": ["ok", "degraded"]}, "version": {"type": "string"},
                   "uptime_seconds": {"type": "number"},
                   "database": obj({"backend": {"type": "string"}, "reachable": {"type": "boolean"}}),
                   "queue": obj({"queued": {"type": "integer"}, "running": {"type": "integer"},
                                 "workers": {"type": "integer"}, "websocket_clients": {"type": "integer"}}),
                   "process": obj({"cpu_seconds": {"type": "number"}, "resident_memory_bytes": {"type": "integer"},
                                   "cores": {"type": "integer"}}),
                   "auth_required": {"type": "boolean", "description": "Whether the API needs a token (users exist)"},
                   "exchange_zone": {"type": "string", "description": "The exchange's zone (IANA): requests' naive times default to it"}},
                  ["status", "version", "uptime_seconds", "database", "queue", "process", "auth_required", "exchange_zone"]),
    "Tokens": obj({"access_token": {"type": "string"}, "token_type": {"type": "string"}, "expires_in": {"type": "integer"},
                   "refresh_token": {"type": "string"}}, ["access_token", "token_type", "expires_in", "refresh_token"]),
    "HistoryItem": obj({"id": {"type": "integer"}, "job_id": nullable("integer"), "kind": {"type": "string"},
                        "symbol": {"type": "string"}, "strategy": {"type": "string"},
                        "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
                        "objective": nullable("string"), "objective_value": nullable("number"),
                        "sharpe": nullable("number"), "total_return": nullable("number"), "max_gain": nullable("number"),
                        "win_rate": nullable("number"), "max_drawdown": nullable("number"), "trades": {"type": "integer"},
                        "created_at": time},
                       ["id", "kind", "symbol", "strategy", "parameters", "trades", "created_at"]),
    "HistoryDetail": {"allOf": [ref("HistoryItem"), obj({"detail": {"type": "object"},
                                                          "trade_log": {"type": "array", "items": ref("Trade")}},
                                                         ["detail", "trade_log"])]},
    "Trade": obj({"symbol": {"type": "string"}, "side": {"type": "string", "enum": ["long", "short"]},
                  "entry_time": time, "exit_time": time, "entry_price": {"type": "number"},
                  "exit_price": {"type": "number"}, "quantity": {"type": "number"}, "net_pnl": {"type": "number"},
                  "return": {"type": "number"}, "bars_held": {"type": "integer"}, "open": {"type": "boolean"}}),
    "Count": obj({"count": {"type": "integer"}}, ["count"]),
    "ResultCharts": obj({"equity": {"type": "string", "description": "HTML with inline SVG: equity against buy-and-hold"},
                         "drawdown": {"type": "string", "description": "HTML with inline SVG: the underwater curve"},
                         "prices": {"type": "string", "description": "HTML with inline SVG: prices with entries and exits"},
                         "heatmap": nullable("string", description="SVG: the objective over the first two searched parameters")},
                        ["equity", "drawdown", "prices"]),
    "Catalog": obj({"strategies": {"type": "array", "items": obj({
                        "name": {"type": "string"}, "summary": {"type": "string"}, "kernel": nullable("string"),
                        "constraints": {"type": "array", "items": {"type": "string"}},
                        "parameters": {"type": "array", "items": obj({
                            "name": {"type": "string"}, "type": {"type": "string"}, "default": {"type": "string"},
                            "valid": {"type": "string"}, "description": {"type": "string"},
                            "min": nullable("number"), "max": nullable("number"),
                            "choices": {"type": ["array", "null"], "items": {"type": "string"}}},
                            ["name", "type", "default", "valid", "description"])}},
                        ["name", "summary", "constraints", "parameters"])},
                    "data": {"type": "array", "items": obj({
                        "spec": {"type": "string"}, "kind": {"type": "string", "enum": ["sample", "imported"]},
                        "summary": {"type": "string"}, "symbols": {"type": "array", "items": {"type": "string"}}},
                        ["spec", "kind", "summary", "symbols"])},
                    "methods": {"type": "array", "items": {"type": "string"}},
                    "objectives": {"type": "array", "items": {"type": "string"}},
                    "fills": {"type": "array", "items": {"type": "string"}},
                    "sessions": {"type": "array", "items": {"type": "string"}}},
                   ["strategies", "data", "methods", "objectives", "fills", "sessions"]),
    "Deleted": obj({"deleted": {"type": "integer"}}, ["deleted"]),
    "JobSymbol": obj({"symbol": {"type": "string"}, "status": {"type": "string"}, "result_id": nullable("integer"),
                      "evaluations": {"type": "integer"}, "completed_at": ntime}),
    "Job": obj({"id": {"type": "integer"}, "kind": {"type": "string"},
                "status": {"type": "string", "enum": ["queued", "running", "succeeded", "failed", "cancelled"]},
                "request": {}, "created_at": time, "started_at": ntime, "completed_at": ntime,
                "duration_seconds": nullable("number"), "failure": nullable("string"), "symbols_total": {"type": "integer"},
                "symbols_done": {"type": "integer"}, "evaluations": {"type": "integer"},
                "cancel_requested": {"type": "boolean"},
                "symbols": {"type": "array", "items": ref("JobSymbol")}},
               ["id", "kind", "status", "created_at", "symbols_total", "symbols_done", "evaluations"]),
    "JobLogLine": obj({"at": time, "level": {"type": "string"}, "message": {"type": "string"}}),
    "BacktestSettings": {"type": "object", "description": "The backtest command's cost, fill, account, period and session options (snake_case)."},
    "BacktestRequest": obj({"strategy": {"type": "string"}, "data": {"type": "string", "description": "sample:NAME, a CSV file, a directory or a cache"},
                            "symbols": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                            "params": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
                            "backtest": ref("BacktestSettings"), "tz": {"type": "string"},
                            "adjust": {"type": "string", "enum": ["raw", "split", "split-dividend"]},
                            "risk_free": {"type": "number", "minimum": -1, "maximum": 1},
                            "equity_points": {"type": "integer", "minimum": 0, "maximum": 100000}},
                           ["strategy", "data"], extra=False),
    "OptimizationRequest": {"type": "object", "required": ["strategy", "data"],
                            "description": "The optimize command's options: strategy, data, adjust, symbols, grids, choices, fixed, constraints, auto_bounds, method, trials, seed, objective, minimize, min_trades, top, batch, split, walk_forward, kernel, robustness, backtest.",
                            "properties": {"strategy": {"type": "string"}, "data": {"type": "string"},
                                           "symbols": {"type": "array", "items": {"type": "string"}},
                                           "grids": {"type": "array", "items": {"type": "string"}},
                                           "method": {"type": "string"}, "objective": {"type": "string"}}},
    "DataFetchRequest": obj({"provider": {"type": "string", "enum": ["auto", "alpaca", "polygon", "massive", "finnhub", "yahoo"]},
                             "symbols": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 32}, "minItems": 1},
                             "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
                             "interval": {"type": "string", "enum": ["1m", "5m", "15m", "30m", "1h", "1d", "1w", "1mo"]},
                             "out": {"type": "string", "description": "Cache directory relative to the server's home (default data-cache)"},
                             "order": {"type": "array", "items": {"type": "string"}},
                             "rate": {"type": "array", "items": {"type": "string"}, "description": "PROVIDER=N/min"},
                             "concurrency": {"type": "integer", "minimum": 1, "maximum": 256},
                             "timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": 3600},
                             "retries": {"type": "integer", "minimum": 0, "maximum": 10},
                             "ttl": {"type": "number", "minimum": 0, "maximum": 8760},
                             "batch": {"type": "integer", "minimum": 1, "maximum": 200, "description": "Alpaca: symbols per request"}},
                            ["symbols", "from", "to"], extra=False),
    "JobSubmission": obj({"kind": {"type": "string", "enum": ["optimize", "backtest", "data_fetch"]},
                          "request": {"oneOf": [ref("OptimizationRequest"), ref("BacktestRequest"), ref("DataFetchRequest")]},
                          "tz": {"type": "string"}, "keyword": {"type": "string"}}, ["kind", "request"], extra=False),
    "BacktestResponse": obj({"summary": {"type": "object"}, "notes": {"type": "array", "items": {"type": "string"}},
                             "trades": {"type": "array", "items": ref("Trade")},
                             "equity": {"type": "array", "items": obj({"time": time, "equity": {"type": "number"}})},
                             "market_condition": {"type": "string"}},
                            ["summary", "notes", "trades", "equity", "market_condition"]),
    "Keyword": obj({"name": {"type": "string"}, "symbols": {"type": "array", "items": {"type": "string"}},
                    "updated_at": time}, ["name", "symbols", "updated_at"]),
    "KeywordPut": obj({"symbols": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 32},
                                   "minItems": 1, "maxItems": 10000}}, ["symbols"], extra=False),
    "KeyStatus": obj({"provider": {"type": "string"}, "variable": {"type": "string"}, "configured": {"type": "boolean"},
                      "masked": nullable("string")}),
    "Prices": obj({"symbol": {"type": "string"}, "interval": {"type": "string"},
                   "items": {"type": "array", "items": obj({"time": time, "open": {"type": "number"},
                                                            "high": {"type": "number"}, "low": {"type": "number"},
                                                            "close": {"type": "number"}, "volume": {"type": "number"}})},
                   "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"}},
                  ["symbol", "items", "total", "limit", "offset"]),
    "JournalTrade": obj({"id": {"type": "integer"}, "symbol": {"type": "string"}, "strategy": nullable("string"),
                         "side": {"type": "string"}, "quantity": {"type": "number"}, "entry_price": {"type": "number"},
                         "entry_time": time, "exit_price": nullable("number"), "exit_time": ntime,
                         "fees": {"type": "number"}, "pnl": nullable("number"), "notes": {"type": "string"},
                         "status": {"type": "string", "enum": ["open", "closed"]}, "created_at": time}),
    "JournalTradeCreate": obj({"symbol": {"type": "string", "minLength": 1, "maxLength": 32},
                               "strategy": {"type": "string"},
                               "side": {"type": "string", "enum": ["long", "short"]},
                               "quantity": {"type": "number", "exclusiveMinimum": 0},
                               "entry_price": {"type": "number", "exclusiveMinimum": 0},
                               "entry_time": {"type": "string", "format": "date-time"},
                               "exit_price": {"type": "number", "exclusiveMinimum": 0},
                               "exit_time": {"type": "string", "format": "date-time"},
                               "fees": {"type": "number", "minimum": 0}, "notes": {"type": "string", "maxLength": 10000}},
                              ["symbol", "side", "quantity", "entry_price"], extra=False),
    "JournalTradeClose": obj({"id": {"type": "integer", "minimum": 1},
                              "exit_price": {"type": "number", "exclusiveMinimum": 0},
                              "exit_time": {"type": "string", "format": "date-time"},
                              "fees": {"type": "number", "minimum": 0}}, ["id", "exit_price"], extra=False),
    "Bot": obj({"id": {"type": "integer"}, "strategy": {"type": "string"},
                "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
                "symbols": {"type": "array", "items": {"type": "string"}}, "data": {"type": "string"},
                "broker": {"type": "string"}, "speed": {"type": "string"},
                "state": {"type": "string", "enum": ["running", "manual", "stopped", "finished", "failed"]},
                "reason": nullable("string"), "steps": {"type": "integer"}, "total_steps": {"type": "integer"},
                "time": ntime, "equity": {"type": "number"}, "cash": {"type": "number"}, "profit_and_loss": {"type": "number"},
                "positions": {"type": "object", "additionalProperties": {"type": "number"}},
                "open_orders": {"type": "integer"}, "fills": {"type": "integer"}, "risk_rejections": {"type": "integer"},
                "halt_reason": nullable("string"),
                "journal": {"type": "string", "description": "the bot's trading journal in the server's store (tradewind trade status --database … --journal-name NAME)"}},
               ["id", "strategy", "parameters", "symbols", "data", "broker", "speed", "state", "steps", "total_steps",
                "equity", "cash", "profit_and_loss", "positions", "open_orders", "fills", "risk_rejections", "journal"]),
    "BotStart": obj({"strategy": {"type": "string"}, "data": {"type": "string", "description": "sample:NAME, a CSV file, a directory or a cache"},
                     "symbols": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                     "params": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
                     "speed": {"type": ["string", "number"], "description": "manual (one step per tick), max, or market seconds per second"},
                     "risk": {"type": "object", "description": "Risk limits: max_open_positions, max_position_fraction, max_gross_exposure, daily_loss_limit, max_drawdown, trading_start_minute, trading_end_minute, max_risk_per_trade, cooldown_seconds, signal_expiry_seconds"},
                     "backtest": ref("BacktestSettings"), "tz": {"type": "string"}},
                    ["strategy", "data"], extra=False),
    "BotID": obj({"id": {"type": "integer", "minimum": 1}}, ["id"], extra=False),
    "JournalAnalytics": obj({k: nullable("number") for k in ["win_rate", "profit_factor", "expectancy", "average_win", "average_loss"]} |
                            {"trades": {"type": "integer"}, "wins": {"type": "integer"}, "losses": {"type": "integer"},
                             "total_pnl": {"type": "number"}, "gross_profit": {"type": "number"}, "gross_loss": {"type": "number"},
                             "by_symbol": {"type": "array", "items": ref("PnLGroup")},
                             "by_strategy": {"type": "array", "items": ref("PnLGroup")},
                             "by_month": {"type": "array", "items": ref("PnLGroup")}}),
    "PnLGroup": obj({"key": {"type": "string"}, "trades": {"type": "integer"}, "pnl": {"type": "number"},
                     "win_rate": nullable("number")}),
    "StrategyVersion": obj({"id": {"type": "integer"}, "strategy": {"type": "string"}, "parent_id": nullable("integer"),
                            "parameters": {"type": "object"}, "notes": {"type": "string"}, "active": {"type": "boolean"},
                            "created_at": time}),
    "StrategyVersionCreate": obj({"strategy": {"type": "string"}, "parent_id": {"type": "integer", "minimum": 1},
                                  "parameters": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
                                  "notes": {"type": "string"}}, ["strategy"], extra=False),
    "LivePrice": obj({"symbol": {"type": "string"}, "price": {"type": "number"}, "time": time,
                  "provider": {"type": "string", "enum": ["alpaca", "polygon", "finnhub", "yahoo"]}},
                 ["symbol", "price", "time", "provider"]),
    "LivePrices": obj({"prices": {"type": "array", "items": ref("LivePrice")},
                   "errors": {"type": "array", "items": obj({"symbol": {"type": "string"}, "error": {"type": "string"},
                                                             "message": {"type": "string"}}, ["symbol", "error", "message"])}},
                  ["prices", "errors"]),
    "ChartCache": obj({"max_age_seconds": {"type": "number"},
                       "entries": {"type": "array", "items": obj({"symbol": {"type": "string"}, "price": {"type": "number"},
                                                                  "time": time, "provider": {"type": "string"},
                                                                  "age_seconds": {"type": "number"}},
                                                                 ["symbol", "price", "time", "provider", "age_seconds"])}},
                      ["max_age_seconds", "entries"]),
    "Session": obj({"id": {"type": "integer"}, "mode": {"type": "string"}, "strategy": {"type": "string"},
                    "strategy_version_id": nullable("integer"), "market_condition": {"type": "string"},
                    "metrics": {}, "started_at": time, "ended_at": ntime}),
}

def error_responses(*codes):
    out = {}
    names = {"400": "Bad request: the field at fault is named", "401": "No token, or an invalid or expired one",
             "404": "Not found", "409": "Conflicts with the stored state", "413": "Body over 1 MiB",
             "429": "Too many failed logins from this address",
             "503": "Busy: every backtest thread is taken and the queue is full; retry in a moment"}
    for c in ("400", "401") + codes:
        out[c] = {"description": names[c], "content": {"application/json": {"schema": ref("Error")}}}
    out["4XX"] = {"description": "Other client errors", "content": {"application/json": {"schema": ref("Error")}}}
    return out

def provider_responses():
    err = {"application/json": {"schema": ref("Error")}}
    return {"502": {"description": "Every configured provider failed", "content": err},
            "409": {"description": "No price provider is configured (TRADEWIND_PRICE_PROVIDERS)", "content": err}}

def ok(schema, code="200", description="OK", content_type="application/json"):
    return {code: {"description": description, "content": {content_type: {"schema": schema}}}}

def body(schema):
    return {"required": True, "content": {"application/json": {"schema": schema}}}

def q(name, schema, description=""):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}

def path_param(name, schema):
    return {"name": name, "in": "path", "required": True, "schema": schema}

page_params = [q("limit", {"type": "integer", "minimum": 1, "maximum": 1000}), q("offset", {"type": "integer", "minimum": 0})]
id_param = path_param("id", {"type": "integer", "minimum": 1})
filters = [q("symbol", {"type": "string"}), q("strategy", {"type": "string"})]

def op(summary, responses, params=None, request=None, tags=None, security=True):
    o = {"summary": summary, "responses": responses}
    if params:
        o["parameters"] = params
    if request:
        o["requestBody"] = request
    if tags:
        o["tags"] = tags
    if not security:
        o["security"] = []
    return o

paths = {
    "/api/health": {"get": op("Status, version, uptime, database, queue, CPU and memory",
                               ok(ref("Health")) | {"503": {"description": "The database is unreachable",
                                                           "content": {"application/json": {"schema": ref("Health")}}}},
                               tags=["system"], security=False)},
    "/api/openapi.json": {"get": op("This document", ok({"type": "object"}), tags=["system"], security=False)},
    "/metrics": {"get": op("Prometheus metrics (text format)", ok({"type": "string"}, content_type="text/plain") | error_responses(),
                           tags=["system"])},
    "/api/auth/login": {"post": op("Exchange Basic credentials for an access JWT and a refresh token",
                                   ok(ref("Tokens")) | error_responses("429"), tags=["auth"], security=False)},
    "/api/auth/refresh": {"post": op("Exchange a refresh token for new tokens (the old one is revoked)",
                                     ok(ref("Tokens")) | error_responses("413"),
                                     request=body(obj({"refresh_token": {"type": "string"}}, ["refresh_token"], extra=False)),
                                     tags=["auth"], security=False)},
    "/api/history": {
        "get": op("Stored results, filtered, sorted and paginated", ok(page_of(ref("HistoryItem"))) | error_responses(),
                  params=filters + [q("sort", {"type": "string", "enum": ["date", "sharpe", "total_return", "max_gain", "win_rate", "max_drawdown"]}),
                                    q("order", {"type": "string", "enum": ["asc", "desc"]})] + page_params, tags=["history"]),
        "delete": op("Delete the results matching the filters (all without filters)", ok(ref("Deleted")) | error_responses(),
                     params=filters, tags=["history"])},
    "/api/history/count": {"get": op("How many results match the filters", ok(ref("Count")) | error_responses(), params=filters,
                                     tags=["history"])},
    "/api/history/{id}": {"get": op("One result with its full trade log", ok(ref("HistoryDetail")) | error_responses("404"),
                                    params=[id_param], tags=["history"]),
                          "delete": op("Delete one result", ok(ref("Deleted")) | error_responses("404"),
                                       params=[id_param], tags=["history"])},
    "/api/history/{id}/charts": {"get": op("A result's charts (TradewindCharts SVG): equity vs buy-and-hold, drawdown, "
                                           "prices with trades, objective heatmap", ok(ref("ResultCharts")) | error_responses("404", "409"),
                                           params=[id_param], tags=["history"])},
    "/api/catalog": {"get": op("What the console's form is built from: strategies with their declared parameters, data "
                               "sources, methods, objectives, fills and sessions", ok(ref("Catalog")) | error_responses(),
                               tags=["console"])},
    "/api/jobs": {
        "post": op("Queue a job (the CLI's options and checks)", ok(ref("Job"), "201", "Queued") | error_responses("413"),
                   request=body(ref("JobSubmission")), tags=["jobs"]),
        "get": op("Jobs, newest first", ok(page_of(ref("Job"))) | error_responses(),
                  params=[q("status", {"type": "string"}, "comma-separated states")] + page_params, tags=["jobs"]),
        "delete": op("Delete finished jobs (their results stay)", ok(ref("Deleted")) | error_responses(), tags=["jobs"])},
    "/api/jobs/{id}": {
        "get": op("A job with its per-symbol breakdown", ok(ref("Job")) | error_responses("404"), params=[id_param], tags=["jobs"]),
        "delete": op("Delete a finished job", ok(ref("Deleted")) | error_responses("404", "409"), params=[id_param], tags=["jobs"])},
    "/api/jobs/{id}/log": {"get": op("A job's log lines", ok(page_of(ref("JobLogLine"))) | error_responses("404"),
                                     params=[id_param] + page_params, tags=["jobs"])},
    "/api/jobs/{id}/cancel": {"post": op("Cancel a queued job, or stop a running one at its next batch",
                                         ok(ref("Job"), "202", "Cancelled or asked to stop") | error_responses("404"),
                                         params=[id_param], tags=["jobs"])},
    "/api/backtest": {"post": op("Run one backtest now: summary, trades and equity", ok(ref("BacktestResponse")) | error_responses("413", "503"),
                                 request=body(ref("BacktestRequest")), tags=["console"])},
    "/api/keywords": {"get": op("Named symbol lists", ok(page_of(ref("Keyword"))) | error_responses(), params=page_params,
                                tags=["console"])},
    "/api/keywords/{name}": {
        "put": op("Create or replace a keyword", ok(ref("Keyword")) | error_responses("413"),
                  params=[path_param("name", {"type": "string", "minLength": 1, "maxLength": 100})],
                  request=body(ref("KeywordPut")), tags=["console"]),
        "delete": op("Delete a keyword", ok(ref("Deleted")) | error_responses("404"),
                     params=[path_param("name", {"type": "string", "minLength": 1})], tags=["console"])},
    "/api/keys": {"get": op("Which provider credentials are configured (never their values)",
                            ok(obj({"items": {"type": "array", "items": ref("KeyStatus")}}, ["items"])) | error_responses(),
                            tags=["console"])},
    "/api/prices": {"get": op("Bars of a symbol and range", ok(ref("Prices")) | error_responses(),
                              params=[q("data", {"type": "string"}), q("symbol", {"type": "string"}),
                                      q("from", {"type": "string"}), q("to", {"type": "string"}), q("tz", {"type": "string"})] + page_params,
                              tags=["console"])},
    "/api/trades": {
        "get": op("The trade journal, newest first", ok(page_of(ref("JournalTrade"))) | error_responses(),
                  params=[q("symbol", {"type": "string"}), q("status", {"type": "string", "enum": ["open", "closed"]})] + page_params,
                  tags=["journal"]),
        "post": op("Record a trade", ok(ref("JournalTrade"), "201", "Recorded") | error_responses("413"),
                   request=body(ref("JournalTradeCreate")), tags=["journal"])},
    "/api/trades/close": {"post": op("Close an open trade", ok(ref("JournalTrade")) | error_responses("404", "409", "413"),
                                     request=body(ref("JournalTradeClose")), tags=["journal"])},
    "/api/trading/status": {"get": op("Paper-trading bots and their status", ok(page_of(ref("Bot"))) | error_responses(),
                                      params=page_params, tags=["trading"])},
    "/api/trading/start": {"post": op("Start a paper-trading bot on a replay of data (manual: one step per tick)",
                                      ok(ref("Bot"), "201", "Started") | error_responses("404", "413"),
                                      request=body(ref("BotStart")), tags=["trading"])},
    "/api/trading/stop": {"post": op("Stop a bot", ok(ref("Bot")) | error_responses("404", "413"),
                                     request=body(ref("BotID")), tags=["trading"])},
    "/api/trading/tick": {"post": op("One trading iteration of a manual bot: its next bar", ok(ref("Bot")) | error_responses("404", "409", "413"),
                                     request=body(ref("BotID")), tags=["trading"])},
    "/api/trades/analytics": {"get": op("Win rate, P&L by symbol, strategy and month, profit factor, expectancy",
                                        ok(ref("JournalAnalytics")) | error_responses(), tags=["journal"])},
    "/api/trades/analytics/chart": {"get": op("P&L by month as a TradewindCharts SVG bar chart (null without closed trades)",
                                              ok(obj({"svg": nullable("string")}, ["svg"])) | error_responses(), tags=["journal"])},
    "/api/strategies": {
        "get": op("Strategy versions, newest first", ok(page_of(ref("StrategyVersion"))) | error_responses(), params=page_params,
                  tags=["strategies"]),
        "post": op("A new version (with a parent)", ok(ref("StrategyVersion"), "201", "Created") | error_responses("404", "413"),
                   request=body(ref("StrategyVersionCreate")), tags=["strategies"])},
    "/api/strategies/active": {"get": op("The active version", ok(ref("StrategyVersion")) | error_responses("404"),
                                         tags=["strategies"])},
    "/api/strategies/{id}/activate": {"post": op("Make a version the active one", ok(ref("StrategyVersion")) | error_responses("404"),
                                                 params=[id_param], tags=["strategies"])},
    "/api/sessions": {"get": op("Recorded runs with their market condition and metrics", ok(page_of(ref("Session"))) | error_responses(),
                                params=page_params, tags=["strategies"])},
    "/api/reports/{file}": {"get": op("A stored result's report: ID.html, or ID.pdf (headless Chromium)",
                                      {"200": {"description": "The report",
                                               "content": {"text/html": {"schema": {"type": "string"}},
                                                           "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}
                                      | error_responses("404", "409"),
                                      params=[path_param("file", {"type": "string", "pattern": "^[0-9]+\\.(html|pdf)$"})],
                                      tags=["reports"])},
    "/api/prices/{ticker}": {"get": op("The latest price of a ticker (cached for 5 s)",
                                       ok(ref("LivePrice")) | error_responses("404") | provider_responses(),
                                       params=[path_param("ticker", {"type": "string", "pattern": "^[A-Za-z0-9.^=/-]{1,20}$"})],
                                       tags=["prices"])},
    "/api/chart-cache": {"get": op("The cached prices and their ages", ok(ref("ChartCache")) | error_responses(), tags=["prices"])},
}

# `GET /api/prices?tickers=A,B` (live prices) shares its path with the console's bars of a symbol (no `tickers`).
live = paths["/api/prices"]["get"]
live["summary"] += "; with tickers=A,B, the latest prices of those tickers instead (cached for 5 s, failures listed per ticker)"
live["parameters"].append(q("tickers", {"type": "string", "pattern": "^[A-Za-z0-9.^=/-]{1,20}(,[A-Za-z0-9.^=/-]{1,20}){0,99}$"},
                            "Comma-separated tickers (1 to 100): answer live prices"))
live["responses"]["200"]["content"]["application/json"]["schema"] = {"oneOf": [ref("Prices"), ref("LivePrices")]}
live["responses"] |= provider_responses()
# Distributed optimisation (PostgreSQL servers): the workers serving the queue, and data for workers without a shared path.
schemas["Worker"] = obj({
    "name": {"type": "string", "description": "The worker's --name (default HOST-PID); unique among running workers"},
    "host": {"type": "string", "description": "Host name of the machine the worker runs on"},
    "threads": {"type": "integer", "minimum": 1, "description": "Threads each of its tasks uses (--threads)"},
    "pid": {"type": "integer", "description": "Process id on its host"},
    "state": {"type": "string", "enum": ["idle", "busy", "draining"],
              "description": "idle: waiting for tasks; busy: computing task_id; draining: finishing its task after SIGTERM"},
    "task_id": nullable("integer", description="The task it computes now (null when idle)"),
    "job_id": nullable("integer", description="The job of that task"),
    "symbol": nullable("string", description="The symbol of that task"),
    "tasks_done": {"type": "integer", "minimum": 0, "description": "Tasks it committed since it started"},
    "started_at": time,
    "heartbeat_at": time,
    "heartbeat_age_seconds": {"type": "number", "minimum": 0,
                              "description": "Seconds since its last heartbeat, by the database's clock. Heartbeats come every "
                                             "lease/3 (10 s by default); an age well past the lease (30 s by default) means the "
                                             "worker died without signing off (its task is redone elsewhere). Workers silent "
                                             "for a day are forgotten."},
}, ["name", "host", "threads", "pid", "state", "task_id", "job_id", "symbol", "tasks_done", "started_at", "heartbeat_at",
    "heartbeat_age_seconds"])
schemas["Workers"] = {"allOf": [page_of(ref("Worker")), obj({
    "distributed": {"type": "boolean",
                    "description": "true when the server's database is PostgreSQL: optimisation jobs are cut into tasks for "
                                   "`tradewind worker` processes. false with SQLite: jobs run in the server and items is empty."}},
    ["distributed"])]}
paths["/api/workers"] = {"get": op("The `tradewind worker` processes serving this server's queue, most recent heartbeat first",
                                   ok(ref("Workers")) | error_responses(), params=page_params, tags=["workers"])}
paths["/api/data/{dataset}/{symbol}"] = {"get": op(
    "One symbol of a dataset in the binary bar-cache format (for workers without a shared data path)",
    {"200": {"description": "A `.twc` bar-cache file (TradewindData's BarCacheFormat: header and payload checksums inside); "
                            "X-Tradewind-Checksum repeats the payload checksum",
             "headers": {"X-Tradewind-Checksum": {"schema": {"type": "string", "pattern": "^[0-9a-f]{16}$"}}},
             "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}
    | error_responses("404"),
    params=[path_param("dataset", {"type": "string", "minLength": 1,
                                   "description": "The job's data: sample:NAME or a path relative to the server's home (percent-encoded)"}),
            path_param("symbol", {"type": "string", "minLength": 1, "maxLength": 255}),
            q("tz", {"type": "string"}, "IANA zone of naive timestamps (default America/New_York)")],
    tags=["workers"])}

# The model registry and training (the AI trading server's endpoints; issue 20).
model_name = path_param("name", {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,100}$",
                                 "description": "The model's registry name; `universal` is the universal BiGRU"})
version_q = q("version", {"type": "integer", "minimum": 1, "maximum": 2147483647}, "A version number (default: the active version)")
schemas["ModelVersion"] = obj({
    "name": {"type": "string"}, "version": {"type": "integer", "minimum": 1},
    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 of the version's zip (its download)"},
    "parent_version": nullable("integer", description="The version active when this one was registered"),
    "dataset_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 of the feature tables it trained on"},
    "metrics": {"type": "object", "additionalProperties": {"type": "number"},
                "description": "Validation metrics of the restored epoch (accuracy, …) and validation_loss"},
    "training_from": time, "training_through": time, "bytes": {"type": "integer", "minimum": 0},
    "active": {"type": "boolean"}, "created_at": time,
    "refusal": nullable("string", description="Why the validation gate refused this candidate (never active); null when not refused")},
    ["name", "version", "sha256", "parent_version", "dataset_hash", "metrics", "training_from", "training_through", "bytes",
     "active", "created_at", "refusal"])
schemas["ModelHash"] = obj({"name": {"type": "string"}, "version": {"type": "integer"},
                            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "created_at": time},
                           ["name", "version", "sha256", "created_at"])
schemas["TrainingRequest"] = obj({
    "name": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,100}$", "description": "Registry name (default universal)"},
    "data": {"type": "string", "description": "sample:NAME or a path under the server's home (default sample:sp500-50)"},
    "symbols": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 32}, "minItems": 1, "maxItems": 10000,
                "description": "Default: every symbol of the data"},
    "mode": {"type": "string", "enum": ["full", "incremental"],
             "description": "full: fresh weights (ml train); incremental: fine-tune the active version on the newest dates (ml update)"},
    "epochs": {"type": "integer", "minimum": 1, "maximum": 10000}, "batch_size": {"type": "integer", "minimum": 1, "maximum": 65536},
    "seed": {"type": "integer", "minimum": 0},
    "widths": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 4096}, "minItems": 5, "maxItems": 5,
               "description": "BiGRU 1, BiGRU 2, attention, dense 1, dense 2 (default 128, 64, 64, 128, 64)"},
    "purge_gap": {"type": "integer", "minimum": 0, "maximum": 1000},
    "update_window": {"type": "integer", "minimum": 1, "maximum": 100000},
    "performance_threshold": {"type": "number", "minimum": 0, "maximum": 2,
                              "description": "Deploy only if validation accuracy ≥ this × the active version's (default 0.95)"},
    "keep": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "Versions kept (default 7)"},
    "automatic_rollback": {"type": "boolean", "description": "Before training, roll back to the previous version when the active one scores below performance_threshold \u00d7 its accuracy on the data after both training ranges (default false; the continual-learning schedule sets it)"},
    "scheduled_for": {"type": "integer", "description": "Set by the server's continual-learning schedule: when it planned this step (nanoseconds since 1970, UTC)"}}, extra=False)
schemas["TrainingStatus"] = obj({
    "name": {"type": "string"},
    "status": {"type": "string", "enum": ["idle", "checking-rollback", "training", "completed", "refused", "failed", "cancelled"]},
    "job_id": nullable("integer"), "epoch": {"type": "integer"}, "epochs": {"type": "integer"},
    "batch": {"type": "integer"}, "batches": {"type": "integer"}, "loss": nullable("number"), "accuracy": nullable("number"),
    "validation_loss": nullable("number"), "validation_accuracy": nullable("number"), "learning_rate": nullable("number"),
    "eta_seconds": nullable("number"), "version": nullable("integer", description="The version deployed (or active, when idle)"),
    "message": nullable("string")}, ["name", "status", "epoch", "epochs", "batch", "batches"])
schemas["JobSubmission"]["properties"]["kind"]["enum"].append("training")
schemas["JobSubmission"]["properties"]["request"]["oneOf"].append(ref("TrainingRequest"))
paths["/api/models"] = {"get": op("Models in the registry, each as its active version", ok(page_of(ref("ModelVersion"))) | error_responses(),
                                  params=page_params, tags=["models"])}
paths["/api/models/{name}"] = {"get": op("The model's active version", ok(ref("ModelVersion")) | error_responses("404"),
                                         params=[model_name], tags=["models"])}
paths["/api/models/{name}/versions"] = {"get": op("The model's versions, newest first", ok(page_of(ref("ModelVersion"))) | error_responses(),
                                                  params=[model_name] + page_params, tags=["models"])}
paths["/api/models/{name}/hash"] = {"get": op("The SHA-256 of a version's zip: compare it to detect an update",
                                              ok(ref("ModelHash")) | error_responses("404"), params=[model_name, version_q], tags=["models"])}
paths["/api/models/{name}/download"] = {"get": op(
    "A version as a zip of universal.safetensors + universal.json (`tradewind ml import` reads it)",
    {"200": {"description": "The zip; its ETag is the SHA-256", "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}}
    | error_responses("404"), params=[model_name, version_q], tags=["models"])}
paths["/api/models/{name}/rollback"] = {"post": op(
    "Activate the version `steps` places older than the active one (default 1)", ok(ref("ModelVersion")) | error_responses("404", "413"),
    params=[model_name], request={"required": False, "content": {"application/json": {"schema": obj(
        {"steps": {"type": "integer", "minimum": 1}}, extra=False)}}}, tags=["models"])}
paths["/api/train-all"] = {"post": op(
    "Queue a training job of the universal model on the job pool (defaults: the AI trading server's settings on sample:sp500-50)",
    ok(ref("Job"), "201", "Created") | error_responses("413"),
    request={"required": False, "content": {"application/json": {"schema": ref("TrainingRequest")}}}, tags=["models"])}
paths["/api/training-status/{name}"] = {"get": op("The model's latest training: status, epoch, loss, accuracy",
                                                  ok(ref("TrainingStatus")) | error_responses(), params=[model_name], tags=["models"])}

# ML strategies' fold training in an optimize job (FoldTraining: the same as optimize's --train-* options).
schemas["OptimizationRequest"]["properties"].update({
    "train_epochs": {"type": "integer", "minimum": 1, "maximum": 10000, "description": "ML strategies: epochs each in-sample window's model trains (default 80)"},
    "train_batch_size": {"type": "integer", "minimum": 1, "maximum": 65536, "description": "ML strategies: training batch size (default 64)"},
    "train_seed": {"type": "integer", "minimum": 0, "description": "ML strategies: seed of the initial weights, shuffles and dropout (default 42)"},
    "train_widths": {"type": "string", "description": "ML strategies: five comma-separated layer widths of 1...4096 units (default 128,64,64,128,64)"},
    "train_window": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "ML strategies: window length in bars (default 60)"},
    "keep_fold_models": {"type": "boolean", "description": "ML strategies: keep the fold models in home/jobs/ID/fold-models until the job is deleted (default true); false removes them when the job ends"}})
schemas["OptimizationRequest"]["description"] += " ML strategies: train_epochs, train_batch_size, train_seed, train_widths, train_window, keep_fold_models."

doc = {
    "openapi": "3.1.0",
    "info": {"title": "Tradewind server", "version": "0.1.0",
             "description": "REST API of `tradewind serve`. Times are ISO 8601 with offset; lists paginate with limit/offset; "
                            "errors are {error, message, field}. Live updates: WebSocket /ws ({type, data} messages)."},
    "servers": [{"url": "http://127.0.0.1:8080"}],
    "security": [{"bearer": []}],
    "components": {"schemas": schemas,
                   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                  "description": "An access JWT (POST /api/auth/login) or an API token (tradewind token create)"},
                                       "basic": {"type": "http", "scheme": "basic"}}},
    "paths": paths,
}
doc["paths"]["/api/auth/login"]["post"]["security"] = [{"basic": []}]

out = os.path.join(os.path.dirname(__file__), "..", "Sources", "TradewindServer", "Resources", "openapi.json")
with open(out, "w") as f:
    json.dump(doc, f, indent=1, sort_keys=True)
    f.write("\n")
print(out)
