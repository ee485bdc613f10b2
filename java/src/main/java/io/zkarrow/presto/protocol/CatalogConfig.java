package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The config of {@code NativeCatalog.open}: one catalog (a ZooKeeper session under {@code root})
 * and, when {@code node} is set, this Presto node's registration. Null members are left out and
 * take the native defaults. {@code settings}: the catalog file's defaults of the dynamic settings.
 * Holds secrets ({@code zookeeper_auth}, {@code zookeeper_sasl_password}): {@link #toString()}
 * never shows them.
 */
public record CatalogConfig(
        @JsonProperty("catalog") String catalog,
        @JsonProperty("connect") String connect,
        @JsonProperty("root") String root,
        @JsonProperty("session_timeout_ms") Long sessionTimeoutMs,
        @JsonProperty("connect_timeout_ms") Long connectTimeoutMs,
        @JsonProperty("warehouse") String warehouse,
        @JsonProperty("settings") Map<String, String> settings,
        @JsonProperty("allowed_locations") List<String> allowedLocations,
        @JsonProperty("gc_min_grace_ms") Long gcMinGraceMs,
        @JsonProperty("zookeeper_auth") String zookeeperAuth,
        @JsonProperty("zookeeper_acl") String zookeeperAcl,
        @JsonProperty("zookeeper_sasl_mechanism") String zookeeperSaslMechanism,
        @JsonProperty("zookeeper_sasl_username") String zookeeperSaslUsername,
        @JsonProperty("zookeeper_sasl_password") String zookeeperSaslPassword,
        @JsonProperty("zookeeper_tls_enabled") Boolean zookeeperTlsEnabled,
        @JsonProperty("zookeeper_tls_trust_store") String zookeeperTlsTrustStore,
        @JsonProperty("zookeeper_tls_key_store") String zookeeperTlsKeyStore,
        @JsonProperty("zookeeper_tls_hostname_verification")
                Boolean zookeeperTlsHostnameVerification,
        @JsonProperty("node") NodeInfo node) {
    public CatalogConfig {
        requireNonNull(connect, "connect is null");
        requireNonNull(root, "root is null");
        requireNonNull(warehouse, "warehouse is null");
    }

    /** The same config registering {@code node} (or nothing when null). */
    public CatalogConfig withNode(NodeInfo node) {
        return new CatalogConfig(
                catalog,
                connect,
                root,
                sessionTimeoutMs,
                connectTimeoutMs,
                warehouse,
                settings,
                allowedLocations,
                gcMinGraceMs,
                zookeeperAuth,
                zookeeperAcl,
                zookeeperSaslMechanism,
                zookeeperSaslUsername,
                zookeeperSaslPassword,
                zookeeperTlsEnabled,
                zookeeperTlsTrustStore,
                zookeeperTlsKeyStore,
                zookeeperTlsHostnameVerification,
                node);
    }

    /** No secrets. */
    @Override
    public String toString() {
        return "CatalogConfig{catalog="
                + catalog
                + ", connect="
                + connect
                + ", root="
                + root
                + ", warehouse="
                + warehouse
                + ", credentials="
                + (zookeeperAuth != null || zookeeperSaslPassword != null ? "<redacted>" : "none")
                + "}";
    }
}
