package io.zkarrow.presto.scan;

import static com.facebook.presto.common.type.BigintType.BIGINT;
import static com.facebook.presto.common.type.BooleanType.BOOLEAN;
import static com.facebook.presto.common.type.DateType.DATE;
import static com.facebook.presto.common.type.DoubleType.DOUBLE;
import static com.facebook.presto.common.type.IntegerType.INTEGER;
import static com.facebook.presto.common.type.RealType.REAL;
import static com.facebook.presto.common.type.SmallintType.SMALLINT;
import static com.facebook.presto.common.type.TinyintType.TINYINT;
import static com.facebook.presto.common.type.TypeSignature.parseTypeSignature;
import static com.facebook.presto.common.type.VarcharType.VARCHAR;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.facebook.presto.common.block.Block;
import com.facebook.presto.common.block.DictionaryBlock;
import com.facebook.presto.common.type.ArrayType;
import com.facebook.presto.common.type.DecimalType;
import com.facebook.presto.common.type.Decimals;
import com.facebook.presto.common.type.MapType;
import com.facebook.presto.common.type.RowType;
import com.facebook.presto.metadata.FunctionAndTypeManager;
import com.facebook.presto.spi.PrestoException;

import io.zkarrow.presto.ZkArrowErrorCode;

import org.testng.annotations.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** PageDecoder over hand-made native pages (no native library needed). */
public class TestPageDecoder {
    private static Object[] column(int kind, int positions, boolean[] nulls, Object... rest) {
        Object[] column = new Object[2 + rest.length];
        column[0] = new int[] {kind, positions};
        column[1] = nulls;
        System.arraycopy(rest, 0, column, 2, rest.length);
        return column;
    }

    private static Object[] varwidth(String... values) {
        int[] offsets = new int[values.length + 1];
        boolean[] nulls = new boolean[values.length];
        boolean anyNull = false;
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                nulls[i] = true;
                anyNull = true;
            } else {
                data.append(values[i]);
            }
            offsets[i + 1] = data.toString().getBytes(StandardCharsets.UTF_8).length;
        }
        return column(
                PageDecoder.VARWIDTH,
                values.length,
                anyNull ? nulls : null,
                offsets,
                data.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void testFixedWidth() {
        boolean[] nulls = {false, true, false};
        assertEquals(
                TINYINT.getLong(
                        PageDecoder.decodeBlock(
                                column(PageDecoder.BYTE, 3, nulls, new byte[] {7, 0, -8}), TINYINT),
                        2),
                -8);
        assertTrue(
                BOOLEAN.getBoolean(
                        PageDecoder.decodeBlock(
                                column(PageDecoder.BYTE, 2, null, new byte[] {0, 1}), BOOLEAN),
                        1));
        assertEquals(
                SMALLINT.getLong(
                        PageDecoder.decodeBlock(
                                column(PageDecoder.SHORT, 3, nulls, new short[] {1, 0, -300}),
                                SMALLINT),
                        2),
                -300);
        Block ints =
                PageDecoder.decodeBlock(
                        column(PageDecoder.INT, 3, nulls, new int[] {42, 0, -1}), INTEGER);
        assertEquals(INTEGER.getLong(ints, 0), 42);
        assertTrue(ints.isNull(1));
        assertEquals(
                DATE.getLong(
                        PageDecoder.decodeBlock(
                                column(PageDecoder.INT, 1, null, new int[] {19782}), DATE),
                        0),
                19782);
        Block reals =
                PageDecoder.decodeBlock(
                        column(PageDecoder.INT, 1, null, new int[] {Float.floatToIntBits(1.5f)}),
                        REAL);
        assertEquals(Float.intBitsToFloat((int) REAL.getLong(reals, 0)), 1.5f);
        Block longs =
                PageDecoder.decodeBlock(
                        column(PageDecoder.LONG, 3, nulls, new long[] {1L << 40, 0, -5}), BIGINT);
        assertEquals(BIGINT.getLong(longs, 0), 1L << 40);
        assertTrue(longs.isNull(1));
        assertFalse(longs.isNull(2));
        Block doubles =
                PageDecoder.decodeBlock(
                        column(
                                PageDecoder.LONG,
                                1,
                                null,
                                new long[] {Double.doubleToLongBits(2.5)}),
                        DOUBLE);
        assertEquals(DOUBLE.getDouble(doubles, 0), 2.5);
    }

    @Test
    public void testLongDecimal() {
        DecimalType type = DecimalType.createDecimalType(25, 5);
        // low word, then high word with the sign bit: 1, -1, 2^64
        long[] values = {1, 0, 1, Long.MIN_VALUE, 0, 1};
        Block block = PageDecoder.decodeBlock(column(PageDecoder.INT128, 3, null, values), type);
        assertEquals(Decimals.decodeUnscaledValue(type.getSlice(block, 0)), BigInteger.ONE);
        assertEquals(
                Decimals.decodeUnscaledValue(type.getSlice(block, 1)), BigInteger.ONE.negate());
        assertEquals(
                Decimals.decodeUnscaledValue(type.getSlice(block, 2)),
                BigInteger.ONE.shiftLeft(64));
    }

    @Test
    public void testVarwidthAndDictionary() {
        Block strings = PageDecoder.decodeBlock(varwidth("a", null, "bc", ""), VARCHAR);
        assertEquals(strings.getPositionCount(), 4);
        assertEquals(VARCHAR.getSlice(strings, 0).toStringUtf8(), "a");
        assertTrue(strings.isNull(1));
        assertEquals(VARCHAR.getSlice(strings, 2).toStringUtf8(), "bc");
        assertEquals(VARCHAR.getSlice(strings, 3).toStringUtf8(), "");

        Object[] dictionary = varwidth("x", "y", null);
        Block block =
                PageDecoder.decodeBlock(
                        column(PageDecoder.DICTIONARY, 4, null, new int[] {1, 0, 2, 1}, dictionary),
                        VARCHAR);
        assertTrue(block instanceof DictionaryBlock);
        assertEquals(VARCHAR.getSlice(block, 0).toStringUtf8(), "y");
        assertEquals(VARCHAR.getSlice(block, 1).toStringUtf8(), "x");
        assertTrue(block.isNull(2));
        assertEquals(VARCHAR.getSlice(block, 3).toStringUtf8(), "y");
    }

    @Test
    public void testNested() {
        ArrayType arrayType = new ArrayType(BIGINT);
        Object[] elements = column(PageDecoder.LONG, 3, null, new long[] {5, 6, 7});
        Block arrays =
                PageDecoder.decodeBlock(
                        column(
                                PageDecoder.ARRAY,
                                3,
                                new boolean[] {false, true, false},
                                new int[] {0, 2, 2, 3},
                                elements),
                        arrayType);
        assertEquals(arrays.getBlock(0).getPositionCount(), 2);
        assertEquals(BIGINT.getLong(arrays.getBlock(0), 1), 6);
        assertTrue(arrays.isNull(1));
        assertEquals(BIGINT.getLong(arrays.getBlock(2), 0), 7);

        FunctionAndTypeManager types = FunctionAndTypeManager.createTestFunctionAndTypeManager();
        MapType mapType = (MapType) types.getType(parseTypeSignature("map(varchar,bigint)"));
        Block maps =
                PageDecoder.decodeBlock(
                        column(
                                PageDecoder.MAP,
                                2,
                                null,
                                new int[] {0, 2, 2},
                                varwidth("k1", "k2"),
                                column(
                                        PageDecoder.LONG,
                                        2,
                                        new boolean[] {false, true},
                                        new long[] {9, 0})),
                        mapType);
        Block first = maps.getBlock(0);
        assertEquals(first.getPositionCount(), 4); // key, value, key, value
        assertEquals(VARCHAR.getSlice(first, 2).toStringUtf8(), "k2");
        assertEquals(BIGINT.getLong(first, 1), 9);
        assertTrue(first.isNull(3));
        assertEquals(maps.getBlock(1).getPositionCount(), 0);

        RowType rowType =
                RowType.from(
                        Arrays.asList(RowType.field("a", BIGINT), RowType.field("b", VARCHAR)));
        // fields hold only the non-null rows
        Block rows =
                PageDecoder.decodeBlock(
                        column(
                                PageDecoder.ROW,
                                3,
                                new boolean[] {false, true, false},
                                (Object)
                                        new Object[] {
                                            column(PageDecoder.LONG, 2, null, new long[] {7, 8}),
                                            varwidth("p", "q")
                                        }),
                        rowType);
        assertTrue(rows.isNull(1));
        Block third = rows.getBlock(2);
        assertEquals(BIGINT.getLong(third, 0), 8);
        assertEquals(VARCHAR.getSlice(third, 1).toStringUtf8(), "q");
    }

    @Test
    public void testColumns() {
        Block ids =
                PageDecoder.decodeColumn(
                        column(PageDecoder.LONG, 2, null, new long[] {1, 2}), BIGINT, 2, 0);
        assertEquals(BIGINT.getLong(ids, 1), 2);
        Block names = PageDecoder.decodeColumn(varwidth("a", "b"), VARCHAR, 2, 1);
        assertEquals(VARCHAR.getSlice(names, 0).toStringUtf8(), "a");
    }

    @Test
    public void testMalformedColumnsAreErrors() {
        PrestoException e =
                expectThrows(
                        PrestoException.class,
                        () ->
                                PageDecoder.decodeColumn(
                                        column(99, 2, null, new long[] {1, 2}), BIGINT, 2, 0));
        assertEquals(e.getErrorCode(), ZkArrowErrorCode.INTERNAL.toErrorCode());
        // a column of 2 positions in a page of 3
        e =
                expectThrows(
                        PrestoException.class,
                        () ->
                                PageDecoder.decodeColumn(
                                        column(PageDecoder.LONG, 2, null, new long[] {1, 2}),
                                        BIGINT,
                                        3,
                                        0));
        assertTrue(
                e.getMessage().contains("column 0 has 2 positions in a page of 3"), e.getMessage());
        expectThrows(
                PrestoException.class,
                () ->
                        PageDecoder.decodeColumn(
                                column(PageDecoder.LONG, 2, null, new int[] {1, 2}), BIGINT, 2, 0));
    }
}
