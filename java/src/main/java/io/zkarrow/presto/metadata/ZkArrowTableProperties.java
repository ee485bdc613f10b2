package io.zkarrow.presto.metadata;

import static com.facebook.presto.spi.session.PropertyMetadata.stringProperty;

import com.facebook.presto.spi.session.PropertyMetadata;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * {@code CREATE TABLE ... WITH (compression = 'zstd', location = '/abs/dir')} (or {@code location =
 * 's3://bucket/prefix'}). Unset properties are not sent: the native side fills in the catalog's
 * live default compression and a warehouse location.
 */
public final class ZkArrowTableProperties {
    public static final String COMPRESSION = "compression";
    public static final String LOCATION = "location";

    private static final List<PropertyMetadata<?>> PROPERTIES =
            Collections.unmodifiableList(
                    Arrays.asList(
                            stringProperty(
                                    COMPRESSION,
                                    "Compression of the table's Arrow IPC files: none, lz4, zstd"
                                        + " (level 3) or zstd(LEVEL) with LEVEL from 1 (fastest) to"
                                        + " 22 (smallest) (default: the catalog's"
                                        + " default_compression setting)",
                                    null,
                                    false),
                            stringProperty(
                                    LOCATION,
                                    "Where the table's data and metadata go: an absolute"
                                            + " directory or an s3://bucket/prefix location"
                                            + " (default: under the catalog's warehouse)",
                                    null,
                                    false)));

    private ZkArrowTableProperties() {}

    public static List<PropertyMetadata<?>> getTableProperties() {
        return PROPERTIES;
    }
}
