package io.zkarrow.presto;

import static java.util.Objects.requireNonNull;

import io.zkarrow.presto.protocol.CatalogOpen;
import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.NodeInfo;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The catalog properties of a zkarrow catalog ({@code etc/catalog/<catalog>.properties}), as given.
 * The native library parses them when the catalog opens ({@code CatalogConfig:: from_properties}):
 * any missing required, unknown or invalid property is an INVALID_CONFIG error that names the
 * property.
 */
public final class ZkArrowConfig {
    private final String catalogName;

    /** Holds secrets: never shown. */
    private final Map<String, String> properties;

    public ZkArrowConfig(String catalogName, Map<String, String> properties) {
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.properties =
                Collections.unmodifiableMap(
                        new TreeMap<>(requireNonNull(properties, "properties is null")));
    }

    public String getCatalogName() {
        return catalogName;
    }

    /** The JSON of {@code NativeCatalog.open}, registering {@code node} when not null. */
    public String toNativeJson(NodeInfo node) {
        return Json.write(new CatalogOpen(catalogName, properties, node));
    }

    /** No secrets: the property names only. */
    @Override
    public String toString() {
        return "ZkArrowConfig{catalog=" + catalogName + ", properties=" + properties.keySet() + "}";
    }
}
