package io.zkarrow.presto.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Statistics of one column of a {@link DataFile}. {@code column_id}: the table column's id (written
 * by zkarrow's writer; absent for registered files and files written before protocol v2). {@code
 * min} / {@code max}: bounds in the statistics' representation (a JSON integer, number, string or
 * boolean; absent when unknown). {@code bytes}: the column's buffer bytes in the file (absent in
 * old manifests). {@code sketch}: the base64 distinct-value sketch of the column in the file (in
 * what a writer's finish returns, carried to commit untouched; absent in manifests).
 */
public record ColumnStats(
        @JsonProperty("column_id") Long columnId,
        @JsonProperty("null_count") long nullCount,
        @JsonProperty("min") Object min,
        @JsonProperty("max") Object max,
        @JsonProperty("bytes") Long bytes,
        @JsonProperty("sketch") String sketch) {}
