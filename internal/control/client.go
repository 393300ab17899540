package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to a daemon's control socket.
type Client struct {
	http *http.Client
	path string
}

// NewClient returns a client for the socket at path.
func NewClient(path string) *Client {
	return &Client{
		path: path,
		http: &http.Client{
			Timeout: 10 * time.Second,
			Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", path)
			}},
		},
	}
}

// Status fetches the daemon's status.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var st Status
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://vipd/v1/status", nil)
	if err != nil {
		return st, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return st, fmt.Errorf("control: is vipd running? %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return st, fmt.Errorf("control: %s: %s", resp.Status, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return st, fmt.Errorf("control: decoding status: %w", err)
	}
	return st, nil
}

// Admin sends an operator command for a group.
func (c *Client) Admin(ctx context.Context, group, command string) error {
	return c.post(ctx, "/v1/groups/"+url.PathEscape(group)+"/"+url.PathEscape(command))
}

// Reload asks the daemon to read its configuration file again.
func (c *Client) Reload(ctx context.Context) error { return c.post(ctx, "/v1/reload") }

func (c *Client) post(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://vipd"+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("control: is vipd running? %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("control: %s", strings.TrimSpace(string(body)))
	}
	return nil
}

// Events calls fn with the recent events and, if follow is set, every new
// one until ctx ends or the daemon goes away.
func (c *Client) Events(ctx context.Context, follow bool, fn func(Event)) error {
	path := "http://vipd/v1/events"
	if follow {
		path += "?follow=1"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	stream := &http.Client{Transport: c.http.Transport} // no overall timeout
	resp, err := stream.Do(req)
	if err != nil {
		return fmt.Errorf("control: is vipd running? %w", err)
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var ev Event
		if err := dec.Decode(&ev); err != nil {
			if errors.Is(err, io.EOF) || ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("control: reading events: %w", err)
		}
		fn(ev)
	}
}
