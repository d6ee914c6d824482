import Testing

/// End-to-end tests of `ondo serve` against a real PostgreSQL: each spawns real server processes. They run one
/// at a time (they are CPU-heavy and time faults); each prints what it measured.
@Suite(.serialized) struct PipelineTests {}
