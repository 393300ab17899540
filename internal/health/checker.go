package health

import "context"

// Checker probes one thing once. Check returns nil when the probe passed and
// an error saying why when it did not. It must return soon after ctx ends:
// the Monitor gives each probe a context that ends at the check's timeout.
// A Checker is used by one goroutine at a time.
type Checker interface {
	Check(ctx context.Context) error
}

// CheckerFunc adapts a function to Checker.
type CheckerFunc func(ctx context.Context) error

// Check calls f(ctx).
func (f CheckerFunc) Check(ctx context.Context) error { return f(ctx) }
