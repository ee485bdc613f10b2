package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A column of a table to create ({@code create_table}, {@code plan_new_table}): no id yet. */
public record ColumnSpec(@JsonProperty("name") String name, @JsonProperty("type") String type) {
    public ColumnSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
