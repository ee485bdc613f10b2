package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A table column with its id: in {@link Table} and {@link NewTable} records, in scans ({@link
 * ScanRequest}) and sinks ({@link SinkRequest}). {@code type} is a Presto type signature; {@code
 * file_name} is the column's name inside registered files (null for tables zkarrow writes, whose
 * files carry the id).
 */
public record Column(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("type") String type,
        @JsonProperty("file_name") String fileName) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
