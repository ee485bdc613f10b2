package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A page sink ({@code NativeWriter.open}): Arrow IPC files in {@code dir} named after {@code
 * prefix}, the table's columns in order with their ids (stored in the files, so that renames and
 * drops keep finding the data). Null {@code compression} / {@code target_file_bytes}: the native
 * defaults. {@code settings}: the writing node's live settings as {@code system.config} shows them
 * (the native writer applies the ones it uses, such as {@code write_batch_rows}). {@code
 * NativeWriter.finish} answers a JSON array of {@link DataFile}.
 */
public record SinkRequest(
        @JsonProperty("dir") String dir,
        @JsonProperty("columns") List<Column> columns,
        @JsonProperty("compression") String compression,
        @JsonProperty("target_file_bytes") Long targetFileBytes,
        @JsonProperty("prefix") String prefix,
        @JsonProperty("settings") Map<String, String> settings) {
    public SinkRequest {
        requireNonNull(dir, "dir is null");
        requireNonNull(columns, "columns is null");
    }
}
