package control

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Server serves the control API on a Unix socket.
type Server struct {
	ln   net.Listener
	http *http.Server
	path string
}

// Listen creates the socket at path, readable and writable by its owner
// only (the directory is created 0700 if missing; a stale socket from a
// dead daemon is replaced). Serve starts answering.
func Listen(path string, src Source, hub *Hub, log *slog.Logger) (*Server, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	if err := removeStale(path); err != nil {
		return nil, err
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/status", func(w http.ResponseWriter, r *http.Request) {
		st, err := src.Status(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(st); err != nil {
			log.Warn("control: writing status failed", "err", err)
		}
	})
	mux.HandleFunc("POST /v1/groups/{group}/{command}", func(w http.ResponseWriter, r *http.Request) {
		group, command := r.PathValue("group"), r.PathValue("command")
		if !slices.Contains(Commands, command) {
			http.Error(w, fmt.Sprintf("unknown command %q", command), http.StatusNotFound)
			return
		}
		if err := src.Admin(r.Context(), group, command); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /v1/reload", func(w http.ResponseWriter, r *http.Request) {
		if err := src.Reload(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /v1/events", func(w http.ResponseWriter, r *http.Request) {
		streamEvents(w, r, hub)
	})
	return &Server{
		ln:   ln,
		path: path,
		http: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)},
	}, nil
}

// removeStale deletes a socket nobody answers on; a live one is an error
// (another vipd is running with the same socket).
func removeStale(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return fmt.Errorf("control: %s is in use: is another vipd running?", path)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("control: removing stale socket: %w", err)
	}
	return nil
}

// Serve answers requests until Close; it returns nil after Close.
func (s *Server) Serve() error {
	if err := s.http.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("control: %w", err)
	}
	return nil
}

// Close stops the server and removes the socket.
func (s *Server) Close() error {
	err := s.http.Close()
	_ = os.Remove(s.path)
	return err
}

// streamEvents writes the recent events, then (with ?follow=1) every new one
// as it happens, one JSON object per line, until the client goes away.
func streamEvents(w http.ResponseWriter, r *http.Request, hub *Hub) {
	recent, events, cancel := hub.Subscribe()
	defer cancel()
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	for _, ev := range recent {
		if enc.Encode(ev) != nil {
			return
		}
	}
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	if r.URL.Query().Get("follow") == "" {
		return
	}
	for {
		select {
		case ev, ok := <-events:
			if !ok || enc.Encode(ev) != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		case <-r.Context().Done():
			return
		}
	}
}
