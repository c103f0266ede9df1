package server

import (
	"log/slog"
	"net/http"
	"time"
)

// HTTPServer wraps a Server in an *http.Server with limits suited to a mock
// that may hold requests on purpose: header reads are bounded, but there is
// no write timeout, so the timeout scenario is cut only by its own cap.
func HTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
