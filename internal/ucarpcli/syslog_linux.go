package ucarpcli

import (
	"bufio"
	"log/syslog"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// syslogFacilities maps ucarp's facility names onto log/syslog's.
var syslogFacilities = map[string]syslog.Priority{
	"auth": syslog.LOG_AUTH, "authpriv": syslog.LOG_AUTHPRIV, "cron": syslog.LOG_CRON,
	"daemon": syslog.LOG_DAEMON, "ftp": syslog.LOG_FTP, "kern": syslog.LOG_KERN,
	"lpr": syslog.LOG_LPR, "mail": syslog.LOG_MAIL, "mark": syslog.LOG_DAEMON,
	"news": syslog.LOG_NEWS, "security": syslog.LOG_AUTH, "syslog": syslog.LOG_SYSLOG,
	"user": syslog.LOG_USER, "uucp": syslog.LOG_UUCP,
	"local0": syslog.LOG_LOCAL0, "local1": syslog.LOG_LOCAL1, "local2": syslog.LOG_LOCAL2,
	"local3": syslog.LOG_LOCAL3, "local4": syslog.LOG_LOCAL4, "local5": syslog.LOG_LOCAL5,
	"local6": syslog.LOG_LOCAL6, "local7": syslog.LOG_LOCAL7,
}

// StderrToSyslog is for the background copy of -B, whose standard error is
// /dev/null: it sends what the process writes to standard error (the
// daemon's log) to syslog under facility, one message a line, at the
// priority of the line's slog level, as ucarp logs to syslog. Facility
// "none" (ucarp's -f none) keeps the log on /dev/null, and so does a
// system without a syslog daemon, as ucarp's would be lost there too. The
// returned function flushes the last lines; call it before the process
// exits.
func StderrToSyslog(facility string) (flush func()) {
	noop := func() {}
	fac, ok := syslogFacilities[facility]
	if !ok {
		return noop
	}
	w, err := syslog.New(fac|syslog.LOG_INFO, "vipd")
	if err != nil {
		return noop
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		w.Close()
		return noop
	}
	if err := unix.Dup3(int(pw.Fd()), unix.Stderr, 0); err != nil {
		w.Close()
		pr.Close()
		pw.Close()
		return noop
	}
	pw.Close() // standard error is now the pipe's only writer
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 0, 4096), 64*1024)
		for sc.Scan() {
			logLine(w, sc.Text())
		}
	}()
	return func() {
		if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
			_ = unix.Dup3(int(null.Fd()), unix.Stderr, 0) // closes the pipe's writer
			null.Close()
		}
		<-done
		pr.Close()
		w.Close()
	}
}

// logLine sends one log line at the priority of its slog level (text
// "level=WARN" or JSON "level":"WARN").
func logLine(w *syslog.Writer, line string) {
	var err error
	switch level(line) {
	case "DEBUG":
		err = w.Debug(line)
	case "WARN":
		err = w.Warning(line)
	case "ERROR":
		err = w.Err(line)
	default:
		err = w.Info(line)
	}
	_ = err // nowhere left to report it
}

func level(line string) string {
	for _, key := range []string{"level=", `"level":"`} {
		if i := strings.Index(line, key); i >= 0 {
			rest := line[i+len(key):]
			if j := strings.IndexAny(rest, ` "`); j >= 0 {
				rest = rest[:j]
			}
			return rest
		}
	}
	return ""
}
