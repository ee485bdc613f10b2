package io.zkarrow.presto;

import static io.zkarrow.presto.ZkArrowErrorCode.INVALID_CONFIG;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.PrestoException;

import io.zkarrow.presto.protocol.CatalogConfig;
import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.NodeInfo;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog properties of a zkarrow catalog ({@code etc/catalog/<catalog>.properties}), parsed by
 * hand (no airlift bootstrap): any missing required, unknown or invalid property is an
 * INVALID_CONFIG error that names the property.
 */
public final class ZkArrowConfig {
    public static final String CONNECT = "zkarrow.zookeeper.connect";
    public static final String ROOT = "zkarrow.zookeeper.root";
    public static final String SESSION_TIMEOUT = "zkarrow.zookeeper.session-timeout";
    public static final String CONNECT_TIMEOUT = "zkarrow.zookeeper.connect-timeout";
    public static final String WAREHOUSE = "zkarrow.warehouse";
    public static final String ALLOWED_LOCATIONS = "zkarrow.allowed-locations";
    public static final String GC_MIN_GRACE = "zkarrow.gc-min-grace";
    public static final String AUTH = "zkarrow.zookeeper.auth";
    public static final String ACL = "zkarrow.zookeeper.acl";
    public static final String SASL_MECHANISM = "zkarrow.zookeeper.sasl.mechanism";
    public static final String SASL_USERNAME = "zkarrow.zookeeper.sasl.username";
    public static final String SASL_PASSWORD = "zkarrow.zookeeper.sasl.password";
    public static final String TLS_ENABLED = "zkarrow.zookeeper.tls.enabled";
    public static final String TLS_TRUST_STORE = "zkarrow.zookeeper.tls.trust-store";
    public static final String TLS_KEY_STORE = "zkarrow.zookeeper.tls.key-store";
    public static final String TLS_HOSTNAME_VERIFICATION =
            "zkarrow.zookeeper.tls.hostname-verification";

    /**
     * The catalog file's defaults of the dynamic settings ({@link CatalogConfig#settings()}):
     * catalog property to native key. The native library validates the values (INVALID_CONFIG names
     * the key); {@code <root>/config} and {@code CALL system.set_config} override them at run time.
     */
    private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    private static final Map<String, String> PROPERTIES = new LinkedHashMap<>();

    static {
        PROPERTIES.put(
                CONNECT, "ZooKeeper connect string, host:port[,host:port...][/chroot] (required)");
        PROPERTIES.put(
                ROOT, "znode under which the catalog lives (default /zkarrow/<catalog name>)");
        PROPERTIES.put(
                SESSION_TIMEOUT, "ZooKeeper session timeout, a duration such as 30s (default 30s)");
        PROPERTIES.put(
                CONNECT_TIMEOUT,
                "time to wait for a ZooKeeper connection, a duration such as 10s (default 10s)");
        PROPERTIES.put(
                WAREHOUSE, "absolute directory path where the tables' data lives (required)");
        PROPERTIES.put(
                ALLOWED_LOCATIONS,
                "comma-separated absolute directory paths under which table locations and"
                        + " registered files must lie (default: the warehouse alone)");
        PROPERTIES.put(
                GC_MIN_GRACE,
                "smallest age of a file that orphan removal may delete, a duration such as 1h"
                        + " (default 1h)");
        PROPERTIES.put(
                AUTH,
                "ZooKeeper credentials as scheme:credential, such as digest:user:password (default"
                        + " none)");
        PROPERTIES.put(
                ACL,
                "ACL of every znode zkarrow creates: creator-all-world-read, creator-all, open, or"
                        + " scheme:id:perms entries such as auth::cdrwa,world:anyone:r (default"
                        + " creator-all-world-read with credentials, else open)");
        PROPERTIES.put(
                SASL_MECHANISM,
                "SASL mechanism for ZooKeeper: DIGEST-MD5 (default when a SASL user name is set)");
        PROPERTIES.put(SASL_USERNAME, "SASL user name for ZooKeeper (default none: no SASL)");
        PROPERTIES.put(SASL_PASSWORD, "SASL password for ZooKeeper");
        PROPERTIES.put(
                TLS_ENABLED,
                "connect to ZooKeeper with TLS (its secureClientPort), true or false (default"
                        + " false)");
        PROPERTIES.put(
                TLS_TRUST_STORE,
                "absolute path of a PEM file of the CA certificates that sign the ZooKeeper"
                    + " servers' certificates (required with TLS; JKS/PKCS12 stores are not read:"
                    + " keytool -exportcert -rfc converts them)");
        PROPERTIES.put(
                TLS_KEY_STORE,
                "absolute path of a PEM file with this client's certificate chain and unencrypted"
                        + " private key, for servers that authenticate clients (optional; not"
                        + " JKS/PKCS12: openssl pkcs12 -nodes converts them)");
        PROPERTIES.put(
                TLS_HOSTNAME_VERIFICATION,
                "check that a ZooKeeper server's certificate names its host, true or false (default"
                        + " true)");
        setting("split_target_size", "default bytes of Arrow data per split, a size such as 64MB");
        setting(
                "lock_wait_timeout",
                "default time a commit waits for a table lock, a duration such as 60s");
        setting(
                "metadata_cache_ttl",
                "default time a node may cache a table record, a duration such as 5m (0s"
                        + " disables)");
        setting("read_only", "default of read-only mode, true or false");
        setting("default_compression", "default compression of new tables: none, lz4 or zstd");
    }

    private static void setting(String key, String description) {
        String property = "zkarrow." + key.replace('_', '-');
        SETTINGS.put(property, key);
        PROPERTIES.put(
                property,
                description
                        + " (dynamic: CALL system.set_config('"
                        + key
                        + "', ...) overrides it)");
    }

    private static final Pattern DURATION =
            Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h|d)\\s*$");

    /** The config of {@code NativeCatalog.open} without a node. Holds secrets. */
    private final CatalogConfig nativeConfig;

    private ZkArrowConfig(CatalogConfig nativeConfig) {
        this.nativeConfig = requireNonNull(nativeConfig, "nativeConfig is null");
    }

    public static ZkArrowConfig parse(String catalogName, Map<String, String> properties) {
        requireNonNull(catalogName, "catalogName is null");
        requireNonNull(properties, "properties is null");
        TreeSet<String> unknown = new TreeSet<>(properties.keySet());
        unknown.removeAll(PROPERTIES.keySet());
        if (!unknown.isEmpty()) {
            throw invalid(
                    "Unknown zkarrow catalog propert"
                            + (unknown.size() == 1 ? "y" : "ies")
                            + " "
                            + String.join(", ", unknown)
                            + " in catalog "
                            + catalogName
                            + ": remove "
                            + (unknown.size() == 1 ? "it" : "them")
                            + ". Known properties: "
                            + describeProperties());
        }

        String connect = required(catalogName, properties, CONNECT);
        if (connect.contains(" ")) {
            throw invalid(
                    "Invalid "
                            + CONNECT
                            + " '"
                            + connect
                            + "' in catalog "
                            + catalogName
                            + ": use host:port[,host:port...] without spaces");
        }

        String root = properties.getOrDefault(ROOT, "/zkarrow/" + catalogName).trim();
        if (!root.startsWith("/")
                || (root.length() > 1 && root.endsWith("/"))
                || root.contains("//")) {
            throw invalid(
                    "Invalid "
                            + ROOT
                            + " '"
                            + root
                            + "' in catalog "
                            + catalogName
                            + ": it must be an absolute znode path starting with '/' (such as"
                            + " /zkarrow/"
                            + catalogName
                            + "), without a trailing '/'");
        }

        long sessionTimeout = duration(catalogName, properties, SESSION_TIMEOUT, "30s");
        long connectTimeout = duration(catalogName, properties, CONNECT_TIMEOUT, "10s");

        String warehouse = required(catalogName, properties, WAREHOUSE);
        boolean absolute;
        try {
            absolute = Paths.get(warehouse).isAbsolute();
        } catch (RuntimeException e) {
            absolute = false;
        }
        if (!absolute) {
            throw invalid(
                    "Invalid "
                            + WAREHOUSE
                            + " '"
                            + warehouse
                            + "' in catalog "
                            + catalogName
                            + ": it must be an absolute directory path such as"
                            + " /var/lib/zkarrow/warehouse");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        SETTINGS.forEach(
                (property, key) -> {
                    String value = properties.get(property);
                    if (value != null) {
                        settings.put(key, value.trim());
                    }
                });
        return new ZkArrowConfig(
                security(
                        catalogName,
                        properties,
                        connect,
                        root,
                        sessionTimeout,
                        connectTimeout,
                        warehouse,
                        settings));
    }

    /**
     * The native config with the fields of the newer properties (locations, grace, ZooKeeper
     * security), set only when the catalog file sets them (the native defaults are the same).
     * Secrets are never put in messages. The native library validates the rest (ACL syntax, SASL
     * mechanism, PEM files) with INVALID_CONFIG errors that name the property.
     */
    private static CatalogConfig security(
            String catalogName,
            Map<String, String> properties,
            String connect,
            String root,
            long sessionTimeout,
            long connectTimeout,
            String warehouse,
            Map<String, String> settings) {
        List<String> allowedLocations = null;
        String locations = properties.get(ALLOWED_LOCATIONS);
        if (locations != null) {
            List<String> paths = new ArrayList<>();
            for (String path : locations.split(",")) {
                path = path.trim();
                if (path.isEmpty()) {
                    continue;
                }
                if (!isAbsolute(path)) {
                    throw invalid(
                            "Invalid "
                                    + ALLOWED_LOCATIONS
                                    + " entry '"
                                    + path
                                    + "' in catalog "
                                    + catalogName
                                    + ": list absolute directory paths separated by commas, such as"
                                    + " /mnt/shared/zkarrow,/mnt/exports");
                }
                paths.add(path);
            }
            if (paths.isEmpty()) {
                throw invalid(
                        "Invalid "
                                + ALLOWED_LOCATIONS
                                + " in catalog "
                                + catalogName
                                + ": it lists no path; remove it to allow the warehouse alone");
            }
            allowedLocations = Collections.unmodifiableList(paths);
        }
        Long gcMinGrace =
                properties.containsKey(GC_MIN_GRACE)
                        ? duration(catalogName, properties, GC_MIN_GRACE, "1h")
                        : null;
        String auth = properties.get(AUTH);
        if (auth != null) {
            int colon = auth.indexOf(':');
            if (colon <= 0 || colon == auth.length() - 1) {
                // never echo the value: it holds a password
                throw invalid(
                        "Invalid "
                                + AUTH
                                + " in catalog "
                                + catalogName
                                + ": use scheme:credential, such as digest:user:password (value not"
                                + " shown)");
            }
        }
        Boolean tlsEnabled =
                properties.containsKey(TLS_ENABLED)
                        ? bool(catalogName, properties, TLS_ENABLED)
                        : null;
        Boolean hostnameVerification =
                properties.containsKey(TLS_HOSTNAME_VERIFICATION)
                        ? bool(catalogName, properties, TLS_HOSTNAME_VERIFICATION)
                        : null;
        return new CatalogConfig(
                catalogName,
                connect,
                root,
                sessionTimeout,
                connectTimeout,
                warehouse,
                settings.isEmpty() ? null : Collections.unmodifiableMap(settings),
                allowedLocations,
                gcMinGrace,
                auth,
                trimmed(properties.get(ACL)),
                trimmed(properties.get(SASL_MECHANISM)),
                trimmed(properties.get(SASL_USERNAME)),
                properties.get(SASL_PASSWORD),
                tlsEnabled,
                pemPath(catalogName, properties, TLS_TRUST_STORE),
                pemPath(catalogName, properties, TLS_KEY_STORE),
                hostnameVerification,
                null);
    }

    private static String pemPath(String catalogName, Map<String, String> properties, String name) {
        String path = properties.get(name);
        if (path == null) {
            return null;
        }
        path = path.trim();
        if (!isAbsolute(path)) {
            throw invalid(
                    "Invalid "
                            + name
                            + " '"
                            + path
                            + "' in catalog "
                            + catalogName
                            + ": it must be the absolute path of a PEM file");
        }
        return path;
    }

    private static String trimmed(String value) {
        return value != null && !value.trim().isEmpty() ? value.trim() : null;
    }

    private static boolean bool(String catalogName, Map<String, String> properties, String name) {
        String value = properties.get(name).trim().toLowerCase(Locale.ENGLISH);
        if (!value.equals("true") && !value.equals("false")) {
            throw invalid(
                    "Invalid "
                            + name
                            + " '"
                            + properties.get(name)
                            + "' in catalog "
                            + catalogName
                            + ": use true or false");
        }
        return value.equals("true");
    }

    private static boolean isAbsolute(String path) {
        try {
            return Paths.get(path).isAbsolute();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String required(
            String catalogName, Map<String, String> properties, String name) {
        String value = properties.get(name);
        if (value == null || value.trim().isEmpty()) {
            throw invalid(
                    "Missing required catalog property "
                            + name
                            + " in catalog "
                            + catalogName
                            + ": set it to the "
                            + PROPERTIES.get(name));
        }
        return value.trim();
    }

    private static long duration(
            String catalogName, Map<String, String> properties, String name, String defaultValue) {
        String value = properties.getOrDefault(name, defaultValue);
        Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ENGLISH));
        if (!matcher.matches()) {
            throw invalid(
                    "Invalid "
                            + name
                            + " '"
                            + value
                            + "' in catalog "
                            + catalogName
                            + ": use a duration with a unit, such as 500ms, 30s, 2m");
        }
        double amount = Double.parseDouble(matcher.group(1));
        double millis;
        switch (matcher.group(2)) {
            case "ns":
                millis = amount / 1_000_000;
                break;
            case "us":
                millis = amount / 1_000;
                break;
            case "ms":
                millis = amount;
                break;
            case "s":
                millis = amount * 1_000;
                break;
            case "m":
                millis = amount * 60_000;
                break;
            case "h":
                millis = amount * 3_600_000;
                break;
            default:
                millis = amount * 86_400_000;
        }
        if (millis < 1 || millis > Integer.MAX_VALUE) {
            throw invalid(
                    "Invalid "
                            + name
                            + " '"
                            + value
                            + "' in catalog "
                            + catalogName
                            + ": it must be at least 1ms and below 24 days");
        }
        return (long) millis;
    }

    private static String describeProperties() {
        StringBuilder out = new StringBuilder();
        PROPERTIES.forEach(
                (name, description) ->
                        out.append(out.length() == 0 ? "" : "; ")
                                .append(name)
                                .append(": ")
                                .append(description));
        return out.toString();
    }

    private static PrestoException invalid(String message) {
        return new PrestoException(INVALID_CONFIG, message);
    }

    /** The JSON of {@code NativeCatalog.open}. */
    public String toNativeJson() {
        return toNativeJson(null);
    }

    /** The JSON of {@code NativeCatalog.open}, registering {@code node} when not null. */
    public String toNativeJson(NodeInfo node) {
        return Json.write(nativeConfig.withNode(node));
    }

    public String getCatalogName() {
        return nativeConfig.catalog();
    }

    public String getConnect() {
        return nativeConfig.connect();
    }

    public String getRoot() {
        return nativeConfig.root();
    }

    public long getSessionTimeoutMillis() {
        return nativeConfig.sessionTimeoutMs();
    }

    public long getConnectTimeoutMillis() {
        return nativeConfig.connectTimeoutMs();
    }

    public String getWarehouse() {
        return nativeConfig.warehouse();
    }

    /** The allowed locations the catalog file lists; empty: the warehouse alone. */
    public List<String> getAllowedLocations() {
        return nativeConfig.allowedLocations() == null
                ? Collections.emptyList()
                : nativeConfig.allowedLocations();
    }

    /** Orphan removal's smallest grace period. */
    public long getGcMinGraceMillis() {
        return nativeConfig.gcMinGraceMs() == null ? 3_600_000L : nativeConfig.gcMinGraceMs();
    }

    /** Whether the catalog file gives ZooKeeper credentials (digest or SASL). */
    public boolean hasZooKeeperCredentials() {
        return nativeConfig.zookeeperAuth() != null || nativeConfig.zookeeperSaslUsername() != null;
    }

    /** No secrets: credentials are never shown. */
    @Override
    public String toString() {
        return "ZkArrowConfig{catalog="
                + getCatalogName()
                + ", connect="
                + getConnect()
                + ", root="
                + getRoot()
                + ", warehouse="
                + getWarehouse()
                + ", credentials="
                + (hasZooKeeperCredentials() ? "<redacted>" : "none")
                + "}";
    }

    /** Native setting key to the catalog file's value, for the settings the file sets. */
    public Map<String, String> getSettings() {
        return nativeConfig.settings() == null ? Collections.emptyMap() : nativeConfig.settings();
    }
}
