package dev.parley.transport.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reading and writing the PEM files behind {@link TlsMaterial}: certificate chains, private keys in the three
 * common encodings, and the check that a key belongs to a certificate. Every failure is a {@link TlsException} whose
 * one-line message names the file.
 */
final class TlsPem {

    static final String CERTIFICATE = "CERTIFICATE";
    static final String PKCS8_KEY = "PRIVATE KEY";
    static final String PKCS1_RSA_KEY = "RSA PRIVATE KEY";
    static final String SEC1_EC_KEY = "EC PRIVATE KEY";
    static final String PKCS8_ENCRYPTED_KEY = "ENCRYPTED PRIVATE KEY";

    /** Block types that hold a certificate: OpenSSL's "TRUSTED CERTIFICATE" is one followed by trust settings. */
    private static final Set<String> CERTIFICATE_TYPES = Set.of(CERTIFICATE, "X509 CERTIFICATE", "TRUSTED CERTIFICATE");
    private static final Set<String> KEY_TYPES = Set.of(PKCS8_KEY, PKCS1_RSA_KEY, SEC1_EC_KEY);
    private static final String ACCEPTED_KEYS = "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY";

    /** JCA names of the key algorithms a TLS server certificate can carry, by the OID in a PKCS#8 key. */
    private static final Map<ASN1ObjectIdentifier, String> KEY_ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS",
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            EdECObjectIdentifiers.id_Ed448, "Ed448");

    private TlsPem() {
    }

    // ------------------------------------------------------------------ reading

    /** The certificates of {@code file}, in file order (the server's own certificate should come first). */
    static List<X509Certificate> readCertificates(Path file) {
        String what = "TLS certificate file " + file;
        List<PemObject> blocks = readBlocks(file, what, "openssl x509 -inform der -in " + file + " -out cert.pem");
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory = certificateFactory();
        for (PemObject block : blocks) {
            if (!CERTIFICATE_TYPES.contains(block.getType())) continue;
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.getContent())));
            } catch (CertificateException | RuntimeException e) {
                throw new TlsException(what + ": certificate " + (chain.size() + 1)
                        + " is not a valid X.509 certificate (" + oneLine(e) + ")", e);
            }
        }
        if (chain.isEmpty()) {
            boolean holdsKey = blocks.stream().anyMatch(b -> KEY_TYPES.contains(b.getType())
                    || b.getType().equals(PKCS8_ENCRYPTED_KEY));
            throw new TlsException(what + " contains no CERTIFICATE block (found " + typesOf(blocks) + ")"
                    + (holdsKey ? "; it holds a private key: are the certificate and key files swapped?" : ""));
        }
        return List.copyOf(chain);
    }

    /** The single private key of {@code file}; other blocks (certificates, EC PARAMETERS) are ignored. */
    static PrivateKey readPrivateKey(Path file) {
        String what = "TLS key file " + file;
        List<PemObject> blocks = readBlocks(file, what, "openssl pkey -inform der -in " + file + " -out key.pem");
        List<PemObject> keys = new ArrayList<>();
        for (PemObject block : blocks) {
            boolean key = KEY_TYPES.contains(block.getType());
            if (block.getType().equals(PKCS8_ENCRYPTED_KEY) || (key && isEncrypted(block))) {
                throw new TlsException(what + " holds an encrypted private key; Parley needs it unencrypted: "
                        + "openssl pkey -in " + file + " -out " + file.resolveSibling(plainName(file)));
            }
            if (key) keys.add(block);
        }
        if (keys.isEmpty()) {
            throw new TlsException(what + " contains no private key (found " + typesOf(blocks) + "; expected "
                    + ACCEPTED_KEYS + ")");
        }
        if (keys.size() > 1) {
            throw new TlsException(what + " contains " + keys.size() + " private keys; it must hold exactly one");
        }
        return privateKey(keys.getFirst(), what);
    }

    /** Whether a block carries OpenSSL's legacy encryption headers ("Proc-Type: 4,ENCRYPTED"). */
    private static boolean isEncrypted(PemObject block) {
        for (Object header : block.getHeaders()) {
            PemHeader h = (PemHeader) header;
            boolean procType = h.getName().equalsIgnoreCase("Proc-Type");
            if (procType && h.getValue().toUpperCase(Locale.ROOT).contains("ENCRYPTED")) return true;
        }
        return false;
    }

    /** The PEM blocks of a file that must exist and be PEM; {@code derHint} is the command that converts DER. */
    private static List<PemObject> readBlocks(Path file, String what, String derHint) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw new TlsException(what + " is a directory, not a file");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsException(what + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsException(what + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new TlsException(what + " cannot be read: " + oneLine(e), e);
        }
        if (bytes.length == 0) throw new TlsException(what + " is empty");
        // PEM is ASCII; Latin-1 maps every byte to a character, so binary input fails below rather than here
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            for (PemObject block; (block = reader.readPemObject()) != null; ) blocks.add(block);
        } catch (IOException | RuntimeException e) {
            throw new TlsException(what + " is not valid PEM (" + oneLine(e) + ")", e);
        }
        if (blocks.isEmpty()) {
            throw new TlsException(what + " is not PEM (no -----BEGIN line); if it is DER, convert it: " + derHint);
        }
        return blocks;
    }

    /** Decodes an unencrypted key block of one of the {@link #KEY_TYPES} into a JDK key object. */
    private static PrivateKey privateKey(PemObject block, String what) {
        PrivateKeyInfo info;
        try {
            info = switch (block.getType()) {
                case PKCS8_KEY -> PrivateKeyInfo.getInstance(block.getContent());
                case PKCS1_RSA_KEY -> new PrivateKeyInfo(
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                        RSAPrivateKey.getInstance(block.getContent()));
                case SEC1_EC_KEY -> {
                    ECPrivateKey ec = ECPrivateKey.getInstance(block.getContent());
                    ASN1Object curve = ec.getParametersObject();
                    if (curve == null) {
                        throw new TlsException(what + ": the EC PRIVATE KEY does not name its curve");
                    }
                    yield new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), ec);
                }
                default -> throw new IllegalArgumentException(block.getType());
            };
        } catch (TlsException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TlsException(what + ": the " + block.getType() + " block is malformed (" + oneLine(e) + ")", e);
        }
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new TlsException(what + ": unsupported key algorithm " + oid.getId() + " (use an RSA or EC key)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new TlsException(what + ": the " + algorithm + " private key is malformed (" + oneLine(e) + ")", e);
        }
    }

    // ------------------------------------------------------------------ key and certificate belong together

    /**
     * Whether {@code key} is the private half of {@code publicKey}: the public key derived from the private one
     * (RSA: modulus and exponent; EC: d·G on the same curve; EdDSA: the derived point) equals the certificate's.
     */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        AsymmetricKeyParameter priv;
        AsymmetricKeyParameter pub;
        try {
            priv = PrivateKeyFactory.createKey(key.getEncoded());
            pub = PublicKeyFactory.createKey(publicKey.getEncoded());
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return switch (priv) {
            case RSAPrivateCrtKeyParameters rsa when pub instanceof RSAKeyParameters p ->
                    rsa.getModulus().equals(p.getModulus()) && rsa.getPublicExponent().equals(p.getExponent());
            case RSAKeyParameters rsa when pub instanceof RSAKeyParameters p -> rsa.getModulus().equals(p.getModulus());
            case ECPrivateKeyParameters ec when pub instanceof ECPublicKeyParameters p ->
                    ec.getParameters().getCurve().equals(p.getParameters().getCurve())
                            && ec.getParameters().getG().multiply(ec.getD()).equals(p.getQ());
            case Ed25519PrivateKeyParameters ed when pub instanceof Ed25519PublicKeyParameters p ->
                    Arrays.equals(ed.generatePublicKey().getEncoded(), p.getEncoded());
            case Ed448PrivateKeyParameters ed when pub instanceof Ed448PublicKeyParameters p ->
                    Arrays.equals(ed.generatePublicKey().getEncoded(), p.getEncoded());
            default -> false;
        };
    }

    // ------------------------------------------------------------------ writing

    /** One PEM block: the header line, base64 in 64-column lines, the footer line. */
    static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    // ------------------------------------------------------------------ helpers

    static CertificateFactory certificateFactory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }

    /** "k.pem" → "k-plain.pem": where the decrypted copy of an encrypted key might go. */
    private static String plainName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + "-plain" + name.substring(dot) : name + "-plain.pem";
    }

    /** The distinct block types, for messages: "EC PARAMETERS, CERTIFICATE". */
    private static String typesOf(List<PemObject> blocks) {
        Set<String> types = new LinkedHashSet<>();
        for (PemObject block : blocks) types.add(block.getType());
        return String.join(", ", types);
    }

    /** An exception's message, or its class when it has none, on one line. */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        } else if (e instanceof FileSystemException f && f.getReason() == null) {
            // these carry only the path: say what happened to it
            message = message + ": " + switch (f) {
                case NoSuchFileException n -> "no such file";
                case AccessDeniedException a -> "permission denied";
                case FileAlreadyExistsException x -> "a file is in the way";
                case NotDirectoryException n -> "not a directory";
                default -> f.getClass().getSimpleName();
            };
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
