package io.zkarrow.presto;

import com.facebook.presto.common.Page;
import com.facebook.presto.common.block.Block;
import com.facebook.presto.common.block.ColumnarArray;
import com.facebook.presto.common.block.ColumnarMap;
import com.facebook.presto.common.block.ColumnarRow;
import com.facebook.presto.common.block.DictionaryBlock;
import com.facebook.presto.common.block.RunLengthEncodedBlock;
import com.facebook.presto.common.type.ArrayType;
import com.facebook.presto.common.type.BigintType;
import com.facebook.presto.common.type.BooleanType;
import com.facebook.presto.common.type.DateType;
import com.facebook.presto.common.type.DecimalType;
import com.facebook.presto.common.type.DoubleType;
import com.facebook.presto.common.type.IntegerType;
import com.facebook.presto.common.type.MapType;
import com.facebook.presto.common.type.RealType;
import com.facebook.presto.common.type.RowType;
import com.facebook.presto.common.type.SmallintType;
import com.facebook.presto.common.type.TimeType;
import com.facebook.presto.common.type.TimestampType;
import com.facebook.presto.common.type.TimestampWithTimeZoneType;
import com.facebook.presto.common.type.TinyintType;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.common.type.VarbinaryType;
import com.facebook.presto.common.type.VarcharType;
import com.facebook.presto.spi.PrestoException;
import io.airlift.slice.Slice;

import java.util.List;

import static io.zkarrow.presto.PageDecoder.ARRAY;
import static io.zkarrow.presto.PageDecoder.BYTE;
import static io.zkarrow.presto.PageDecoder.DICTIONARY;
import static io.zkarrow.presto.PageDecoder.INT;
import static io.zkarrow.presto.PageDecoder.INT128;
import static io.zkarrow.presto.PageDecoder.LONG;
import static io.zkarrow.presto.PageDecoder.MAP;
import static io.zkarrow.presto.PageDecoder.ROW;
import static io.zkarrow.presto.PageDecoder.SHORT;
import static io.zkarrow.presto.PageDecoder.VARWIDTH;
import static io.zkarrow.presto.ZkArrowErrorCode.UNSUPPORTED_TYPE;

/**
 * Turns Presto pages into the page layout of {@code NativeWriter.write} (PROTOCOL.md): the reverse of
 * {@link PageDecoder}. Each block becomes primitive arrays filled by one tight loop per block;
 * dictionary and run-length blocks stay dictionaries (the native side expands them).
 */
public final class PageEncoder
{
    private PageEncoder() {}

    public static Object[] encodePage(Page page, List<Type> types)
    {
        if (page.getChannelCount() != types.size()) {
            throw new IllegalArgumentException("a page of " + page.getChannelCount() + " channels for " + types.size() + " columns");
        }
        Object[] out = new Object[types.size() + 1];
        out[0] = new int[] {page.getPositionCount()};
        for (int i = 0; i < types.size(); i++) {
            out[i + 1] = encodeBlock(page.getBlock(i), types.get(i));
        }
        return out;
    }

    public static Object[] encodeBlock(Block block, Type type)
    {
        int positions = block.getPositionCount();
        if (block instanceof DictionaryBlock) {
            DictionaryBlock dictionary = (DictionaryBlock) block;
            int[] ids = new int[positions];
            for (int i = 0; i < positions; i++) {
                ids[i] = dictionary.getId(i);
            }
            return new Object[] {new int[] {DICTIONARY, positions}, null, ids, encodeBlock(dictionary.getDictionary(), type)};
        }
        if (block instanceof RunLengthEncodedBlock) {
            // one value repeated: a dictionary of one entry
            return new Object[] {new int[] {DICTIONARY, positions}, null, new int[positions], encodeBlock(((RunLengthEncodedBlock) block).getValue(), type)};
        }
        boolean[] nulls = nulls(block);
        if (type instanceof BooleanType || type instanceof TinyintType) {
            byte[] values = new byte[positions];
            for (int i = 0; i < positions; i++) {
                if (nulls == null || !nulls[i]) {
                    values[i] = block.getByte(i);
                }
            }
            return new Object[] {new int[] {BYTE, positions}, nulls, values};
        }
        if (type instanceof SmallintType) {
            short[] values = new short[positions];
            for (int i = 0; i < positions; i++) {
                if (nulls == null || !nulls[i]) {
                    values[i] = block.getShort(i);
                }
            }
            return new Object[] {new int[] {SHORT, positions}, nulls, values};
        }
        if (type instanceof IntegerType || type instanceof RealType || type instanceof DateType) {
            int[] values = new int[positions];
            for (int i = 0; i < positions; i++) {
                if (nulls == null || !nulls[i]) {
                    values[i] = block.getInt(i);
                }
            }
            return new Object[] {new int[] {INT, positions}, nulls, values};
        }
        if (type instanceof BigintType || type instanceof DoubleType || type instanceof TimeType || type instanceof TimestampType
                || type instanceof TimestampWithTimeZoneType || (type instanceof DecimalType && ((DecimalType) type).isShort())) {
            long[] values = new long[positions];
            for (int i = 0; i < positions; i++) {
                if (nulls == null || !nulls[i]) {
                    values[i] = block.getLong(i);
                }
            }
            return new Object[] {new int[] {LONG, positions}, nulls, values};
        }
        if (type instanceof DecimalType) {
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
        if (type instanceof VarcharType || type instanceof VarbinaryType) {
            int[] offsets = new int[positions + 1];
            long total = 0;
            for (int i = 0; i < positions; i++) {
                if (nulls == null || !nulls[i]) {
                    total += block.getSliceLength(i);
                }
                if (total > Integer.MAX_VALUE - 16) {
                    throw new PrestoException(UNSUPPORTED_TYPE, "A page holds more than 2GB of " + type + " data");
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
        if (type instanceof ArrayType) {
            ColumnarArray array = ColumnarArray.toColumnarArray(block);
            int[] offsets = new int[positions + 1];
            for (int i = 0; i < positions; i++) {
                offsets[i + 1] = offsets[i] + array.getLength(i);
            }
            Object[] elements = encodeBlock(array.getElementsBlock(), ((ArrayType) type).getElementType());
            return new Object[] {new int[] {ARRAY, positions}, nulls, offsets, elements};
        }
        if (type instanceof MapType) {
            MapType mapType = (MapType) type;
            ColumnarMap map = ColumnarMap.toColumnarMap(block);
            int[] offsets = new int[positions + 1];
            for (int i = 0; i < positions; i++) {
                offsets[i + 1] = offsets[i] + map.getEntryCount(i);
            }
            // ColumnarMap trims keys and values to the visible entries
            Block keys = map.getKeysBlock();
            Block values = map.getValuesBlock();
            return new Object[] {new int[] {MAP, positions}, nulls, offsets, encodeBlock(keys, mapType.getKeyType()), encodeBlock(values, mapType.getValueType())};
        }
        if (type instanceof RowType) {
            // ColumnarRow's field blocks hold only the non-null rows, as the protocol wants
            ColumnarRow row = ColumnarRow.toColumnarRow(block);
            List<Type> fieldTypes = type.getTypeParameters();
            Object[] fields = new Object[fieldTypes.size()];
            for (int f = 0; f < fields.length; f++) {
                fields[f] = encodeBlock(row.getField(f), fieldTypes.get(f));
            }
            return new Object[] {new int[] {ROW, positions}, nulls, fields};
        }
        throw new PrestoException(UNSUPPORTED_TYPE, "zkarrow cannot write values of type " + type);
    }

    private static boolean[] nulls(Block block)
    {
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
