// Package labtest is what the end-to-end test packages (test/e2e,
// test/interop, test/ucarpcmd) share: TestMain's build of the vipd binary,
// labs (internal/lab) made for one test and removed after it, and the
// helpers that read vipd's state through its own command line (`vipd
// status -o json`, `vipd ARGS --socket`) and wait for an election to
// settle.
//
// Only tests import it: it imports testing, and fails or skips the test it
// is given. A test package calls Main from its TestMain once, with a Config
// for what differs between packages (how long a wait may take, the timing
// profile, how often the client probes, how many tests run at once); the
// other helpers read that Config.
//
// Without the privileges to build namespaces, or without a program a lab
// needs (keepalived, ucarp), a test is skipped with the reason, or fails
// when VIPD_REQUIRE_NETNS=1 (see nstest.Require).
package labtest
