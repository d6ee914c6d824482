// Placeholder; delete when adding the harness.
enum TestSupportModule {}
