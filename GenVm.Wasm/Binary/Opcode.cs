namespace GenVm.Wasm.Binary;

/// <summary>
/// Every instruction of the WebAssembly 2.0 core plus tail calls. Single-byte opcodes keep their byte value;
/// <c>0xFC</c>-prefixed ones are <c>0xFC00 | subopcode</c>. SIMD (<c>0xFD</c>) is not listed: it is rejected as unsupported.
/// </summary>
internal enum Opcode : ushort
{
    /// <summary><c>0x00</c></summary>
    Unreachable = 0x00,

    /// <summary><c>0x01</c></summary>
    Nop = 0x01,

    /// <summary><c>0x02</c></summary>
    Block = 0x02,

    /// <summary><c>0x03</c></summary>
    Loop = 0x03,

    /// <summary><c>0x04</c></summary>
    If = 0x04,

    /// <summary><c>0x05</c></summary>
    Else = 0x05,

    /// <summary><c>0x0B</c></summary>
    End = 0x0B,

    /// <summary><c>0x0C</c></summary>
    Br = 0x0C,

    /// <summary><c>0x0D</c></summary>
    BrIf = 0x0D,

    /// <summary><c>0x0E</c></summary>
    BrTable = 0x0E,

    /// <summary><c>0x0F</c></summary>
    Return = 0x0F,

    /// <summary><c>0x10</c></summary>
    Call = 0x10,

    /// <summary><c>0x11</c></summary>
    CallIndirect = 0x11,

    /// <summary><c>0x12</c></summary>
    ReturnCall = 0x12,

    /// <summary><c>0x13</c></summary>
    ReturnCallIndirect = 0x13,

    /// <summary><c>0x1A</c></summary>
    Drop = 0x1A,

    /// <summary><c>0x1B</c></summary>
    Select = 0x1B,

    /// <summary><c>0x1C</c></summary>
    SelectTyped = 0x1C,

    /// <summary><c>0x20</c></summary>
    LocalGet = 0x20,

    /// <summary><c>0x21</c></summary>
    LocalSet = 0x21,

    /// <summary><c>0x22</c></summary>
    LocalTee = 0x22,

    /// <summary><c>0x23</c></summary>
    GlobalGet = 0x23,

    /// <summary><c>0x24</c></summary>
    GlobalSet = 0x24,

    /// <summary><c>0x25</c></summary>
    TableGet = 0x25,

    /// <summary><c>0x26</c></summary>
    TableSet = 0x26,

    /// <summary><c>0x28</c></summary>
    I32Load = 0x28,

    /// <summary><c>0x29</c></summary>
    I64Load = 0x29,

    /// <summary><c>0x2A</c></summary>
    F32Load = 0x2A,

    /// <summary><c>0x2B</c></summary>
    F64Load = 0x2B,

    /// <summary><c>0x2C</c></summary>
    I32Load8S = 0x2C,

    /// <summary><c>0x2D</c></summary>
    I32Load8U = 0x2D,

    /// <summary><c>0x2E</c></summary>
    I32Load16S = 0x2E,

    /// <summary><c>0x2F</c></summary>
    I32Load16U = 0x2F,

    /// <summary><c>0x30</c></summary>
    I64Load8S = 0x30,

    /// <summary><c>0x31</c></summary>
    I64Load8U = 0x31,

    /// <summary><c>0x32</c></summary>
    I64Load16S = 0x32,

    /// <summary><c>0x33</c></summary>
    I64Load16U = 0x33,

    /// <summary><c>0x34</c></summary>
    I64Load32S = 0x34,

    /// <summary><c>0x35</c></summary>
    I64Load32U = 0x35,

    /// <summary><c>0x36</c></summary>
    I32Store = 0x36,

    /// <summary><c>0x37</c></summary>
    I64Store = 0x37,

    /// <summary><c>0x38</c></summary>
    F32Store = 0x38,

    /// <summary><c>0x39</c></summary>
    F64Store = 0x39,

    /// <summary><c>0x3A</c></summary>
    I32Store8 = 0x3A,

    /// <summary><c>0x3B</c></summary>
    I32Store16 = 0x3B,

    /// <summary><c>0x3C</c></summary>
    I64Store8 = 0x3C,

    /// <summary><c>0x3D</c></summary>
    I64Store16 = 0x3D,

    /// <summary><c>0x3E</c></summary>
    I64Store32 = 0x3E,

    /// <summary><c>0x3F</c></summary>
    MemorySize = 0x3F,

    /// <summary><c>0x40</c></summary>
    MemoryGrow = 0x40,

    /// <summary><c>0x41</c></summary>
    I32Const = 0x41,

    /// <summary><c>0x42</c></summary>
    I64Const = 0x42,

    /// <summary><c>0x43</c></summary>
    F32Const = 0x43,

    /// <summary><c>0x44</c></summary>
    F64Const = 0x44,

    /// <summary><c>0x45</c></summary>
    I32Eqz = 0x45,

    /// <summary><c>0x46</c></summary>
    I32Eq = 0x46,

    /// <summary><c>0x47</c></summary>
    I32Ne = 0x47,

    /// <summary><c>0x48</c></summary>
    I32LtS = 0x48,

    /// <summary><c>0x49</c></summary>
    I32LtU = 0x49,

    /// <summary><c>0x4A</c></summary>
    I32GtS = 0x4A,

    /// <summary><c>0x4B</c></summary>
    I32GtU = 0x4B,

    /// <summary><c>0x4C</c></summary>
    I32LeS = 0x4C,

    /// <summary><c>0x4D</c></summary>
    I32LeU = 0x4D,

    /// <summary><c>0x4E</c></summary>
    I32GeS = 0x4E,

    /// <summary><c>0x4F</c></summary>
    I32GeU = 0x4F,

    /// <summary><c>0x50</c></summary>
    I64Eqz = 0x50,

    /// <summary><c>0x51</c></summary>
    I64Eq = 0x51,

    /// <summary><c>0x52</c></summary>
    I64Ne = 0x52,

    /// <summary><c>0x53</c></summary>
    I64LtS = 0x53,

    /// <summary><c>0x54</c></summary>
    I64LtU = 0x54,

    /// <summary><c>0x55</c></summary>
    I64GtS = 0x55,

    /// <summary><c>0x56</c></summary>
    I64GtU = 0x56,

    /// <summary><c>0x57</c></summary>
    I64LeS = 0x57,

    /// <summary><c>0x58</c></summary>
    I64LeU = 0x58,

    /// <summary><c>0x59</c></summary>
    I64GeS = 0x59,

    /// <summary><c>0x5A</c></summary>
    I64GeU = 0x5A,

    /// <summary><c>0x5B</c></summary>
    F32Eq = 0x5B,

    /// <summary><c>0x5C</c></summary>
    F32Ne = 0x5C,

    /// <summary><c>0x5D</c></summary>
    F32Lt = 0x5D,

    /// <summary><c>0x5E</c></summary>
    F32Gt = 0x5E,

    /// <summary><c>0x5F</c></summary>
    F32Le = 0x5F,

    /// <summary><c>0x60</c></summary>
    F32Ge = 0x60,

    /// <summary><c>0x61</c></summary>
    F64Eq = 0x61,

    /// <summary><c>0x62</c></summary>
    F64Ne = 0x62,

    /// <summary><c>0x63</c></summary>
    F64Lt = 0x63,

    /// <summary><c>0x64</c></summary>
    F64Gt = 0x64,

    /// <summary><c>0x65</c></summary>
    F64Le = 0x65,

    /// <summary><c>0x66</c></summary>
    F64Ge = 0x66,

    /// <summary><c>0x67</c></summary>
    I32Clz = 0x67,

    /// <summary><c>0x68</c></summary>
    I32Ctz = 0x68,

    /// <summary><c>0x69</c></summary>
    I32Popcnt = 0x69,

    /// <summary><c>0x6A</c></summary>
    I32Add = 0x6A,

    /// <summary><c>0x6B</c></summary>
    I32Sub = 0x6B,

    /// <summary><c>0x6C</c></summary>
    I32Mul = 0x6C,

    /// <summary><c>0x6D</c></summary>
    I32DivS = 0x6D,

    /// <summary><c>0x6E</c></summary>
    I32DivU = 0x6E,

    /// <summary><c>0x6F</c></summary>
    I32RemS = 0x6F,

    /// <summary><c>0x70</c></summary>
    I32RemU = 0x70,

    /// <summary><c>0x71</c></summary>
    I32And = 0x71,

    /// <summary><c>0x72</c></summary>
    I32Or = 0x72,

    /// <summary><c>0x73</c></summary>
    I32Xor = 0x73,

    /// <summary><c>0x74</c></summary>
    I32Shl = 0x74,

    /// <summary><c>0x75</c></summary>
    I32ShrS = 0x75,

    /// <summary><c>0x76</c></summary>
    I32ShrU = 0x76,

    /// <summary><c>0x77</c></summary>
    I32Rotl = 0x77,

    /// <summary><c>0x78</c></summary>
    I32Rotr = 0x78,

    /// <summary><c>0x79</c></summary>
    I64Clz = 0x79,

    /// <summary><c>0x7A</c></summary>
    I64Ctz = 0x7A,

    /// <summary><c>0x7B</c></summary>
    I64Popcnt = 0x7B,

    /// <summary><c>0x7C</c></summary>
    I64Add = 0x7C,

    /// <summary><c>0x7D</c></summary>
    I64Sub = 0x7D,

    /// <summary><c>0x7E</c></summary>
    I64Mul = 0x7E,

    /// <summary><c>0x7F</c></summary>
    I64DivS = 0x7F,

    /// <summary><c>0x80</c></summary>
    I64DivU = 0x80,

    /// <summary><c>0x81</c></summary>
    I64RemS = 0x81,

    /// <summary><c>0x82</c></summary>
    I64RemU = 0x82,

    /// <summary><c>0x83</c></summary>
    I64And = 0x83,

    /// <summary><c>0x84</c></summary>
    I64Or = 0x84,

    /// <summary><c>0x85</c></summary>
    I64Xor = 0x85,

    /// <summary><c>0x86</c></summary>
    I64Shl = 0x86,

    /// <summary><c>0x87</c></summary>
    I64ShrS = 0x87,

    /// <summary><c>0x88</c></summary>
    I64ShrU = 0x88,

    /// <summary><c>0x89</c></summary>
    I64Rotl = 0x89,

    /// <summary><c>0x8A</c></summary>
    I64Rotr = 0x8A,

    /// <summary><c>0x8B</c></summary>
    F32Abs = 0x8B,

    /// <summary><c>0x8C</c></summary>
    F32Neg = 0x8C,

    /// <summary><c>0x8D</c></summary>
    F32Ceil = 0x8D,

    /// <summary><c>0x8E</c></summary>
    F32Floor = 0x8E,

    /// <summary><c>0x8F</c></summary>
    F32Trunc = 0x8F,

    /// <summary><c>0x90</c></summary>
    F32Nearest = 0x90,

    /// <summary><c>0x91</c></summary>
    F32Sqrt = 0x91,

    /// <summary><c>0x92</c></summary>
    F32Add = 0x92,

    /// <summary><c>0x93</c></summary>
    F32Sub = 0x93,

    /// <summary><c>0x94</c></summary>
    F32Mul = 0x94,

    /// <summary><c>0x95</c></summary>
    F32Div = 0x95,

    /// <summary><c>0x96</c></summary>
    F32Min = 0x96,

    /// <summary><c>0x97</c></summary>
    F32Max = 0x97,

    /// <summary><c>0x98</c></summary>
    F32Copysign = 0x98,

    /// <summary><c>0x99</c></summary>
    F64Abs = 0x99,

    /// <summary><c>0x9A</c></summary>
    F64Neg = 0x9A,

    /// <summary><c>0x9B</c></summary>
    F64Ceil = 0x9B,

    /// <summary><c>0x9C</c></summary>
    F64Floor = 0x9C,

    /// <summary><c>0x9D</c></summary>
    F64Trunc = 0x9D,

    /// <summary><c>0x9E</c></summary>
    F64Nearest = 0x9E,

    /// <summary><c>0x9F</c></summary>
    F64Sqrt = 0x9F,

    /// <summary><c>0xA0</c></summary>
    F64Add = 0xA0,

    /// <summary><c>0xA1</c></summary>
    F64Sub = 0xA1,

    /// <summary><c>0xA2</c></summary>
    F64Mul = 0xA2,

    /// <summary><c>0xA3</c></summary>
    F64Div = 0xA3,

    /// <summary><c>0xA4</c></summary>
    F64Min = 0xA4,

    /// <summary><c>0xA5</c></summary>
    F64Max = 0xA5,

    /// <summary><c>0xA6</c></summary>
    F64Copysign = 0xA6,

    /// <summary><c>0xA7</c></summary>
    I32WrapI64 = 0xA7,

    /// <summary><c>0xA8</c></summary>
    I32TruncF32S = 0xA8,

    /// <summary><c>0xA9</c></summary>
    I32TruncF32U = 0xA9,

    /// <summary><c>0xAA</c></summary>
    I32TruncF64S = 0xAA,

    /// <summary><c>0xAB</c></summary>
    I32TruncF64U = 0xAB,

    /// <summary><c>0xAC</c></summary>
    I64ExtendI32S = 0xAC,

    /// <summary><c>0xAD</c></summary>
    I64ExtendI32U = 0xAD,

    /// <summary><c>0xAE</c></summary>
    I64TruncF32S = 0xAE,

    /// <summary><c>0xAF</c></summary>
    I64TruncF32U = 0xAF,

    /// <summary><c>0xB0</c></summary>
    I64TruncF64S = 0xB0,

    /// <summary><c>0xB1</c></summary>
    I64TruncF64U = 0xB1,

    /// <summary><c>0xB2</c></summary>
    F32ConvertI32S = 0xB2,

    /// <summary><c>0xB3</c></summary>
    F32ConvertI32U = 0xB3,

    /// <summary><c>0xB4</c></summary>
    F32ConvertI64S = 0xB4,

    /// <summary><c>0xB5</c></summary>
    F32ConvertI64U = 0xB5,

    /// <summary><c>0xB6</c></summary>
    F32DemoteF64 = 0xB6,

    /// <summary><c>0xB7</c></summary>
    F64ConvertI32S = 0xB7,

    /// <summary><c>0xB8</c></summary>
    F64ConvertI32U = 0xB8,

    /// <summary><c>0xB9</c></summary>
    F64ConvertI64S = 0xB9,

    /// <summary><c>0xBA</c></summary>
    F64ConvertI64U = 0xBA,

    /// <summary><c>0xBB</c></summary>
    F64PromoteF32 = 0xBB,

    /// <summary><c>0xBC</c></summary>
    I32ReinterpretF32 = 0xBC,

    /// <summary><c>0xBD</c></summary>
    I64ReinterpretF64 = 0xBD,

    /// <summary><c>0xBE</c></summary>
    F32ReinterpretI32 = 0xBE,

    /// <summary><c>0xBF</c></summary>
    F64ReinterpretI64 = 0xBF,

    /// <summary><c>0xC0</c></summary>
    I32Extend8S = 0xC0,

    /// <summary><c>0xC1</c></summary>
    I32Extend16S = 0xC1,

    /// <summary><c>0xC2</c></summary>
    I64Extend8S = 0xC2,

    /// <summary><c>0xC3</c></summary>
    I64Extend16S = 0xC3,

    /// <summary><c>0xC4</c></summary>
    I64Extend32S = 0xC4,

    /// <summary><c>0xD0</c></summary>
    RefNull = 0xD0,

    /// <summary><c>0xD1</c></summary>
    RefIsNull = 0xD1,

    /// <summary><c>0xD2</c></summary>
    RefFunc = 0xD2,

    /// <summary><c>0xFC00</c></summary>
    I32TruncSatF32S = 0xFC00,

    /// <summary><c>0xFC01</c></summary>
    I32TruncSatF32U = 0xFC01,

    /// <summary><c>0xFC02</c></summary>
    I32TruncSatF64S = 0xFC02,

    /// <summary><c>0xFC03</c></summary>
    I32TruncSatF64U = 0xFC03,

    /// <summary><c>0xFC04</c></summary>
    I64TruncSatF32S = 0xFC04,

    /// <summary><c>0xFC05</c></summary>
    I64TruncSatF32U = 0xFC05,

    /// <summary><c>0xFC06</c></summary>
    I64TruncSatF64S = 0xFC06,

    /// <summary><c>0xFC07</c></summary>
    I64TruncSatF64U = 0xFC07,

    /// <summary><c>0xFC08</c></summary>
    MemoryInit = 0xFC08,

    /// <summary><c>0xFC09</c></summary>
    DataDrop = 0xFC09,

    /// <summary><c>0xFC0A</c></summary>
    MemoryCopy = 0xFC0A,

    /// <summary><c>0xFC0B</c></summary>
    MemoryFill = 0xFC0B,

    /// <summary><c>0xFC0C</c></summary>
    TableInit = 0xFC0C,

    /// <summary><c>0xFC0D</c></summary>
    ElemDrop = 0xFC0D,

    /// <summary><c>0xFC0E</c></summary>
    TableCopy = 0xFC0E,

    /// <summary><c>0xFC0F</c></summary>
    TableGrow = 0xFC0F,

    /// <summary><c>0xFC10</c></summary>
    TableSize = 0xFC10,

    /// <summary><c>0xFC11</c></summary>
    TableFill = 0xFC11,
}
