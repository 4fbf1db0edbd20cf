package org.eclipse.kura.type;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TypedValuesTest {

    @Test
    public void plainJavaValuesBecomeTheValueOfTheirType() {
        assertEquals(new BooleanValue(true), TypedValues.newTypedValue(Boolean.TRUE));
        assertEquals(DataType.BYTE_ARRAY, TypedValues.newTypedValue(new byte[] {1}).getType());
        assertEquals(new FloatValue(1.5f), TypedValues.newTypedValue(1.5f));
        assertEquals(new DoubleValue(1.5), TypedValues.newTypedValue(1.5));
        assertEquals(new IntegerValue(7), TypedValues.newTypedValue(7));
        assertEquals(new LongValue(7L), TypedValues.newTypedValue(7L));
        assertEquals(new StringValue("x"), TypedValues.newTypedValue("x"));
        assertThrows(IllegalArgumentException.class, () -> TypedValues.newTypedValue((short) 1));
        assertThrows(IllegalArgumentException.class, () -> TypedValues.newTypedValue(null));
    }

    @Test
    public void textParsesByTypeAndBadTextIsRefused() {
        assertEquals(new LongValue(-3), TypedValues.parseTypedValue(DataType.LONG, "-3"));
        assertEquals(new IntegerValue(12), TypedValues.parseTypedValue(DataType.INTEGER, "12"));
        assertEquals(new DoubleValue(0.25), TypedValues.parseTypedValue(DataType.DOUBLE, "0.25"));
        assertEquals(new BooleanValue(true), TypedValues.parseTypedValue(DataType.BOOLEAN, "TRUE"));
        assertArrayEquals(new byte[] {1, 2, (byte) 255},
                (byte[]) TypedValues.parseTypedValue(DataType.BYTE_ARRAY, "AQL/").getValue());
        assertThrows(IllegalArgumentException.class, () -> TypedValues.parseTypedValue(DataType.INTEGER, "1.5"));
        assertThrows(IllegalArgumentException.class, () -> TypedValues.parseTypedValue(DataType.BYTE_ARRAY, "not base64!"));
        assertThrows(NullPointerException.class, () -> TypedValues.parseTypedValue(DataType.STRING, null));
    }

    @Test
    public void valuesCompareAndEqualByValue() {
        assertEquals("", new StringValue(null).getValue());
        assertTrue(new ByteArrayValue(new byte[] {(byte) 0x80}).compareTo(new ByteArrayValue(new byte[] {0x7f})) > 0);
        assertTrue(new ByteArrayValue(new byte[] {1}).compareTo(new ByteArrayValue(new byte[] {1, 0})) < 0);
        assertEquals(new ByteArrayValue(new byte[] {1, 2}), new ByteArrayValue(new byte[] {1, 2}));
        assertTrue(new BooleanValue(false).compareTo(new BooleanValue(true)) < 0);
        assertNotEquals(new IntegerValue(1), new LongValue(1));
        assertEquals(DataType.FLOAT, DataType.getDataType("float"));
        assertThrows(IllegalArgumentException.class, () -> DataType.getDataType("decimal"));
        assertThrows(NullPointerException.class, () -> new ByteArrayValue(null));
    }
}
