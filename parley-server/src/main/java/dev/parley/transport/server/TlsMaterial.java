package dev.parley.transport.server;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server certificate chain and its private key: what {@code parley serve --tls} serves HTTPS and WSS with.
 *
 * <ul>
 *   <li>{@link #selfSigned(Path, Clock)}: a certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1},
 *       made on first use and kept in {@code cacheDir/tls/} so a browser's exception for it survives restarts;</li>
 *   <li>{@link #fromPem(Path, Path)}: a real certificate ({@code --tls-cert FILE --tls-key FILE}).</li>
 * </ul>
 * Hand it to {@link TlsConnector} for a Jetty connector. Both factories check that the key belongs to the
 * certificate and that the certificate is valid now, and throw {@link TlsException} with a one-line message
 * otherwise. Instances are immutable.
 */
public final class TlsMaterial {

    private static final Logger log = LoggerFactory.getLogger(TlsMaterial.class);

    /** The alias of the key entry in {@link #keyStore(char[])}. */
    public static final String KEY_ALIAS = "parley";

    /** A user's certificate closer than this to its end is served, with a warning. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(7);

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final Path certificateFile;

    /** {@code chain} starts with the certificate of {@code privateKey}; {@code certificateFile} may be null. */
    TlsMaterial(List<X509Certificate> chain, PrivateKey privateKey, Path certificateFile) {
        if (chain.isEmpty()) throw new IllegalArgumentException("empty certificate chain");
        this.chain = List.copyOf(chain);
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.certificateFile = certificateFile;
    }

    // ------------------------------------------------------------------ factories

    /**
     * The self-signed certificate for {@code localhost} kept in {@code cacheDir/tls/} ({@code localhost-cert.pem},
     * {@code localhost-key.pem}). The files are reused while they parse, belong together, name the expected hosts
     * and stay valid for at least another 7 days by {@code clock}; otherwise a new certificate (EC P-256, valid for
     * a year) replaces them. The key file is written owner-only (POSIX mode 600 where the file system has modes),
     * both files atomically. If the directory cannot be written the new certificate is still returned, without a
     * {@link #certificateFile()}, and a warning is logged.
     */
    public static TlsMaterial selfSigned(Path cacheDir, Clock clock) {
        return TlsSelfSigned.obtain(cacheDir, clock);
    }

    /** {@link #fromPem(Path, Path, Clock)} by the system clock. */
    public static TlsMaterial fromPem(Path certFile, Path keyFile) {
        return fromPem(certFile, keyFile, Clock.systemUTC());
    }

    /**
     * A certificate chain and key from PEM files (one file may hold both). {@code certFile} holds one or more
     * {@code CERTIFICATE} blocks, the server's own first and then its intermediates; {@code keyFile} holds one
     * unencrypted key as {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY}
     * (SEC1). Only the server's own certificate must be valid at {@code clock}'s instant: intermediates are left to
     * clients, which may know better paths (as with the expired cross-signatures of 2021).
     *
     * @throws TlsException naming the file and the problem: missing, unreadable, not PEM, no certificate, no key,
     *     an encrypted key, a key that does not match the certificate, a certificate expired or not yet valid
     */
    public static TlsMaterial fromPem(Path certFile, Path keyFile, Clock clock) {
        TlsMaterial tls = read(certFile, keyFile);
        X509Certificate leaf = tls.certificate();
        Instant now = clock.instant();
        String what = "the TLS certificate in " + certFile + " (" + leaf.getSubjectX500Principal().getName() + ")";
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new TlsException(what + " expired on " + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new TlsException(what + " is not valid until " + leaf.getNotBefore().toInstant());
        }
        if (Duration.between(now, tls.notAfter()).compareTo(EXPIRY_WARNING) < 0) {
            log.warn("{} expires on {}", what, tls.notAfter());
        }
        return tls;
    }

    /** Parses both files and checks the key against the first certificate; validity dates are the caller's. */
    static TlsMaterial read(Path certFile, Path keyFile) {
        List<X509Certificate> chain = TlsPem.readCertificates(certFile);
        PrivateKey key = TlsPem.readPrivateKey(keyFile);
        if (!TlsPem.matches(key, chain.getFirst().getPublicKey())) {
            for (int i = 1; i < chain.size(); i++) {
                if (TlsPem.matches(key, chain.get(i).getPublicKey())) {
                    throw new TlsException("the private key in " + keyFile + " belongs to certificate " + (i + 1)
                            + " in " + certFile + ", not the first: put the server's own certificate first");
                }
            }
            throw new TlsException("the private key in " + keyFile + " does not match the certificate in " + certFile
                    + " (" + chain.getFirst().getSubjectX500Principal().getName() + ")");
        }
        return new TlsMaterial(chain, key, certFile);
    }

    // ------------------------------------------------------------------ accessors

    /** The chain as served: this server's certificate first, then any intermediates. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** This server's own certificate, the first of {@link #chain()}. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The PEM file the certificate was read from or written to, for clients to trust; empty if only in memory. */
    public Optional<Path> certificateFile() {
        return Optional.ofNullable(certificateFile);
    }

    /** When this server's certificate expires. */
    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /**
     * The SHA-256 fingerprint of this server's certificate as browsers and {@code openssl x509 -fingerprint
     * -sha256} show it: 32 upper-case hex pairs separated by colons ({@code "3F:A0:…"}).
     */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint the certificate", e);
        }
    }

    /**
     * A new in-memory PKCS#12 key store holding the key and chain under {@link #KEY_ALIAS}, protected by
     * {@code password} (which also unlocks the key entry).
     */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, privateKey, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS#12 key store", e);
        }
    }

    /**
     * An SSL context for a client that trusts exactly this server's certificate and nothing else, e.g. for
     * {@code HttpClient.newBuilder().sslContext(tls.clientSslContext())} in tests. Host names are still verified.
     */
    public SSLContext clientSslContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(KEY_ALIAS, certificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a client SSL context", e);
        }
    }

    /** Subject, fingerprint and expiry; never the key. */
    @Override
    public String toString() {
        return "TlsMaterial[" + certificate().getSubjectX500Principal().getName() + ", SHA-256 " + sha256Fingerprint()
                + ", until " + notAfter() + (certificateFile == null ? "" : ", " + certificateFile) + "]";
    }
}
