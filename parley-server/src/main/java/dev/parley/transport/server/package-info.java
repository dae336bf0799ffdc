/** The HTTP and WebSocket server: routes, TLS, authentication, metrics; one Realtime session per WebSocket. */
package dev.parley.transport.server;
