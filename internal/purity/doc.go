// Package purity holds no code: its test keeps vipd's pure packages (the
// codecs and the state machine) free of I/O, clocks, goroutines and logging,
// so that arrows keep pointing inward to pure code.
package purity
