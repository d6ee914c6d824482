// Placeholder so the test target builds; delete when adding the first real test.
import Testing
