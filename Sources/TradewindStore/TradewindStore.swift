// TradewindStore: what the server keeps between runs.
//
// Owns: the store protocol (`TradewindStore`) and its one SQL implementation (`SQLStore`), the schema and its
// migrations (`StoreMigrations`, an ordered list other modules' areas append to), and the two backends that run it:
// SQLite through GRDB (one file, WAL, synchronous=FULL so that a committed result or journal entry survives a crash)
// and PostgreSQL through postgres-nio. Areas, one file each under `Areas/`: jobs (status, timestamps, log lines,
// per-symbol progress for resume), optimisation and backtest results (history with filters, sort and pagination),
// keywords (named symbol lists), the trade journal, strategy versions, sessions, users and tokens, the live
// runtime's trading journal (`TradingJournalEntries.swift`: its JSON lines by journal name; TradewindLive writes it), and
// the model registry (trained models' versions with their archives, the active one, retention and rollback), and
// training jobs' checkpoints (`JobCheckpoints.swift`: one per job, its bytes with their SHA-256, so any server on a
// shared database resumes a job; with the jobs' leases, `JobLeases.swift`, by which servers hand jobs over). `Queue/`: the
// PostgreSQL-only work queue of distributed jobs (`WorkQueue`: `FOR UPDATE SKIP LOCKED` claims, leases by the
// database's clock, idempotent result commits, `LISTEN/NOTIFY` wake-ups) and the worker registry.
//
// Both backends run the same SQL (`?` placeholders, rewritten to `$n` for PostgreSQL), so they behave alike;
// the store suite runs over both. Values are stored as integers (instants: `UnixNanos`), doubles and text (JSON).
//
// May import: TradewindCore, GRDB, PostgresNIO, swift-log, swift-crypto (SHA-256) and Foundation. Nothing of the engine or optimizer:
// results arrive as plain records the server builds.
