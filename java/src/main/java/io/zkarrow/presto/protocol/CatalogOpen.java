package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The document of {@code NativeCatalog.open}: the catalog file's properties as given (the native
 * library parses and validates them: any unknown, missing or invalid property is INVALID_CONFIG
 * naming it) and, when {@code node} is set, this Presto node's registration. The properties may
 * hold secrets: {@link #toString()} shows their names only.
 */
public record CatalogOpen(
        @JsonProperty("catalog") String catalog,
        @JsonProperty("properties") Map<String, String> properties,
        @JsonProperty("node") NodeInfo node) {
    public CatalogOpen {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(properties, "properties is null");
    }

    /** No values: they may be secrets. */
    @Override
    public String toString() {
        return "CatalogOpen{catalog="
                + catalog
                + ", properties="
                + new java.util.TreeSet<>(properties.keySet())
                + ", node="
                + node
                + "}";
    }
}
