package io.zkarrow.presto.write;

import static io.zkarrow.presto.ZkArrowErrorCode.UNSUPPORTED_TYPE;
import static io.zkarrow.presto.scan.PageDecoder.ARRAY;
import static io.zkarrow.presto.scan.PageDecoder.BYTE;
import static io.zkarrow.presto.scan.PageDecoder.DICTIONARY;
import static io.zkarrow.presto.scan.PageDecoder.INT;
import static io.zkarrow.presto.scan.PageDecoder.INT128;
import static io.zkarrow.presto.scan.PageDecoder.LONG;
import static io.zkarrow.presto.scan.PageDecoder.MAP;
import static io.zkarrow.presto.scan.PageDecoder.ROW;
import static io.zkarrow.presto.scan.PageDecoder.SHORT;
import static io.zkarrow.presto.scan.PageDecoder.VARWIDTH;

import com.facebook.presto.common.Page;
import com.facebook.presto.common.block.Block;
import com.facebook.presto.common.block.ColumnarArray;
import com.facebook.presto.common.block.ColumnarMap;
import com.facebook.presto.common.block.ColumnarRow;
import com.facebook.presto.common.block.DictionaryBlock;
import com.facebook.presto.common.block.RunLengthEncodedBlock;
import com.facebook.presto.common.type.FixedWidthType;
import com.facebook.presto.common.type.StandardTypes;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.PrestoException;

import io.airlift.slice.Slice;
import io.zkarrow.presto.scan.PageDecoder;

import java.util.List;
import java.util.Set;

/**
 * Turns Presto pages into the page layout of {@code NativeWriter.write} (PROTOCOL.md): the reverse
 * of {@link PageDecoder}. Each block becomes primitive arrays filled by one tight loop per block;
 * dictionary and run-length blocks stay dictionaries (the native side expands them).
 */
public final class PageEncoder {
    /**
     * The base names of the types zkarrow writes; any other type (also one with a writable layout,
     * such as char or time with time zone) is refused as before.
     */
    private static final Set<String> WRITABLE =
            Set.of(
                    StandardTypes.BOOLEAN,
                    StandardTypes.TINYINT,
                    StandardTypes.SMALLINT,
                    StandardTypes.INTEGER,
                    StandardTypes.REAL,
                    StandardTypes.DATE,
                    StandardTypes.BIGINT,
                    StandardTypes.DOUBLE,
                    StandardTypes.TIME,
                    StandardTypes.TIMESTAMP,
                    StandardTypes.TIMESTAMP_WITH_TIME_ZONE,
                    StandardTypes.DECIMAL,
                    StandardTypes.VARCHAR,
                    StandardTypes.VARBINARY,
                    StandardTypes.ARRAY,
                    StandardTypes.MAP,
                    StandardTypes.ROW);

    private PageEncoder() {}

    public static Object[] encodePage(Page page, List<Type> types) {
        if (page.getChannelCount() != types.size()) {
            throw new IllegalArgumentException(
                    "a page of "
                            + page.getChannelCount()
                            + " channels for "
                            + types.size()
                            + " columns");
        }
        Object[] out = new Object[types.size() + 1];
        out[0] = new int[] {page.getPositionCount()};
        for (int i = 0; i < types.size(); i++) {
            out[i + 1] = encodeBlock(page.getBlock(i), types.get(i));
        }
        return out;
    }

    public static Object[] encodeBlock(Block block, Type type) {
        String base = type.getTypeSignature().getBase();
        if (!WRITABLE.contains(base)) {
            throw new PrestoException(
                    UNSUPPORTED_TYPE, "zkarrow cannot write values of type " + type);
        }
        int positions = block.getPositionCount();
        if (block instanceof DictionaryBlock) {
            DictionaryBlock dictionary = (DictionaryBlock) block;
            int[] ids = new int[positions];
            for (int i = 0; i < positions; i++) {
                ids[i] = dictionary.getId(i);
            }
            return new Object[] {
                new int[] {DICTIONARY, positions},
                null,
                ids,
                encodeBlock(dictionary.getDictionary(), type)
            };
        }
        if (block instanceof RunLengthEncodedBlock) {
            // one value repeated: a dictionary of one entry
            return new Object[] {
                new int[] {DICTIONARY, positions},
                null,
                new int[positions],
                encodeBlock(((RunLengthEncodedBlock) block).getValue(), type)
            };
        }
        boolean[] nulls = nulls(block);
        if (type instanceof FixedWidthType) {
            // the block's physical width: boolean and tinyint 1, smallint 2, integer, real and date
            // 4, bigint, double, time, timestamps and short decimals 8, long decimals 16
            return encodeFixedWidth(
                    block, ((FixedWidthType) type).getFixedSize(), positions, nulls, type);
        }
        if (type.getJavaType() == Slice.class) {
            return encodeVariableWidth(block, positions, nulls, type);
        }
        List<Type> parameters = type.getTypeParameters();
        switch (base) {
            case StandardTypes.ARRAY:
                {
                    ColumnarArray array = ColumnarArray.toColumnarArray(block);
                    int[] offsets = new int[positions + 1];
                    for (int i = 0; i < positions; i++) {
                        offsets[i + 1] = offsets[i] + array.getLength(i);
                    }
                    Object[] elements = encodeBlock(array.getElementsBlock(), parameters.get(0));
                    return new Object[] {new int[] {ARRAY, positions}, nulls, offsets, elements};
                }
            case StandardTypes.MAP:
                {
                    ColumnarMap map = ColumnarMap.toColumnarMap(block);
                    int[] offsets = new int[positions + 1];
                    for (int i = 0; i < positions; i++) {
                        offsets[i + 1] = offsets[i] + map.getEntryCount(i);
                    }
                    // ColumnarMap trims keys and values to the visible entries
                    Object[] keys = encodeBlock(map.getKeysBlock(), parameters.get(0));
                    Object[] values = encodeBlock(map.getValuesBlock(), parameters.get(1));
                    return new Object[] {new int[] {MAP, positions}, nulls, offsets, keys, values};
                }
            case StandardTypes.ROW:
                {
                    // ColumnarRow's field blocks hold only the non-null rows, as the protocol wants
                    ColumnarRow row = ColumnarRow.toColumnarRow(block);
                    Object[] fields = new Object[parameters.size()];
                    for (int f = 0; f < fields.length; f++) {
                        fields[f] = encodeBlock(row.getField(f), parameters.get(f));
                    }
                    return new Object[] {new int[] {ROW, positions}, nulls, fields};
                }
            default:
                throw new PrestoException(
                        UNSUPPORTED_TYPE, "zkarrow cannot write values of type " + type);
        }
    }

    private static Object[] encodeFixedWidth(
            Block block, int width, int positions, boolean[] nulls, Type type) {
        switch (width) {
            case Byte.BYTES:
                {
                    byte[] values = new byte[positions];
                    for (int i = 0; i < positions; i++) {
                        if (nulls == null || !nulls[i]) {
                            values[i] = block.getByte(i);
                        }
                    }
                    return new Object[] {new int[] {BYTE, positions}, nulls, values};
                }
            case Short.BYTES:
                {
                    short[] values = new short[positions];
                    for (int i = 0; i < positions; i++) {
                        if (nulls == null || !nulls[i]) {
                            values[i] = block.getShort(i);
                        }
                    }
                    return new Object[] {new int[] {SHORT, positions}, nulls, values};
                }
            case Integer.BYTES:
                {
                    int[] values = new int[positions];
                    for (int i = 0; i < positions; i++) {
                        if (nulls == null || !nulls[i]) {
                            values[i] = block.getInt(i);
                        }
                    }
                    return new Object[] {new int[] {INT, positions}, nulls, values};
                }
            case Long.BYTES:
                {
                    long[] values = new long[positions];
                    for (int i = 0; i < positions; i++) {
                        if (nulls == null || !nulls[i]) {
                            values[i] = block.getLong(i);
                        }
                    }
                    return new Object[] {new int[] {LONG, positions}, nulls, values};
                }
            case 2 * Long.BYTES:
                {
                    // Presto's Int128 layout: low word, then high word with the sign bit
                    long[] values = new long[positions * 2];
                    for (int i = 0; i < positions; i++) {
                        if (nulls == null || !nulls[i]) {
                            values[2 * i] = block.getLong(i, 0);
                            values[2 * i + 1] = block.getLong(i, 8);
                        }
                    }
                    return new Object[] {new int[] {INT128, positions}, nulls, values};
                }
            default:
                throw new PrestoException(
                        UNSUPPORTED_TYPE, "zkarrow cannot write values of type " + type);
        }
    }

    private static Object[] encodeVariableWidth(
            Block block, int positions, boolean[] nulls, Type type) {
        int[] offsets = new int[positions + 1];
        long total = 0;
        for (int i = 0; i < positions; i++) {
            if (nulls == null || !nulls[i]) {
                total += block.getSliceLength(i);
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new PrestoException(
                        UNSUPPORTED_TYPE, "A page holds more than 2GB of " + type + " data");
            }
            offsets[i + 1] = (int) total;
        }
        byte[] data = new byte[(int) total];
        for (int i = 0; i < positions; i++) {
            int length = offsets[i + 1] - offsets[i];
            if (length > 0) {
                Slice slice = block.getSlice(i, 0, length);
                slice.getBytes(0, data, offsets[i], length);
            }
        }
        return new Object[] {new int[] {VARWIDTH, positions}, nulls, offsets, data};
    }

    private static boolean[] nulls(Block block) {
        if (!block.mayHaveNull()) {
            return null;
        }
        int positions = block.getPositionCount();
        boolean[] nulls = null;
        for (int i = 0; i < positions; i++) {
            if (block.isNull(i)) {
                if (nulls == null) {
                    nulls = new boolean[positions];
                }
                nulls[i] = true;
            }
        }
        return nulls;
    }
}
