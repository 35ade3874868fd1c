namespace GenVm.Wasm.Wasi;

/// <summary>WASI preview1 <c>errno</c> values (wasm-abi.md §9 lists the ones GenVM uses).</summary>
public enum WasiErrno : ushort
{
    /// <summary><c>success</c> (0).</summary>
    Success = 0,

    /// <summary><c>2big</c> (1).</summary>
    TooBig = 1,

    /// <summary><c>acces</c> (2).</summary>
    Access = 2,

    /// <summary><c>addrinuse</c> (3).</summary>
    AddressInUse = 3,

    /// <summary><c>addrnotavail</c> (4).</summary>
    AddressNotAvailable = 4,

    /// <summary><c>afnosupport</c> (5).</summary>
    AddressFamilyNotSupported = 5,

    /// <summary><c>again</c> (6).</summary>
    Again = 6,

    /// <summary><c>already</c> (7).</summary>
    Already = 7,

    /// <summary><c>badf</c> (8).</summary>
    BadDescriptor = 8,

    /// <summary><c>badmsg</c> (9).</summary>
    BadMessage = 9,

    /// <summary><c>busy</c> (10).</summary>
    Busy = 10,

    /// <summary><c>canceled</c> (11).</summary>
    Canceled = 11,

    /// <summary><c>child</c> (12).</summary>
    NoChild = 12,

    /// <summary><c>connaborted</c> (13).</summary>
    ConnectionAborted = 13,

    /// <summary><c>connrefused</c> (14).</summary>
    ConnectionRefused = 14,

    /// <summary><c>connreset</c> (15).</summary>
    ConnectionReset = 15,

    /// <summary><c>deadlk</c> (16).</summary>
    Deadlock = 16,

    /// <summary><c>destaddrreq</c> (17).</summary>
    DestinationAddressRequired = 17,

    /// <summary><c>dom</c> (18).</summary>
    Domain = 18,

    /// <summary><c>dquot</c> (19).</summary>
    QuotaExceeded = 19,

    /// <summary><c>exist</c> (20).</summary>
    Exists = 20,

    /// <summary><c>fault</c> (21).</summary>
    Fault = 21,

    /// <summary><c>fbig</c> (22).</summary>
    FileTooBig = 22,

    /// <summary><c>hostunreach</c> (23).</summary>
    HostUnreachable = 23,

    /// <summary><c>idrm</c> (24).</summary>
    IdentifierRemoved = 24,

    /// <summary><c>ilseq</c> (25).</summary>
    IllegalSequence = 25,

    /// <summary><c>inprogress</c> (26).</summary>
    InProgress = 26,

    /// <summary><c>intr</c> (27).</summary>
    Interrupted = 27,

    /// <summary><c>inval</c> (28).</summary>
    Invalid = 28,

    /// <summary><c>io</c> (29).</summary>
    IO = 29,

    /// <summary><c>isconn</c> (30).</summary>
    IsConnected = 30,

    /// <summary><c>isdir</c> (31).</summary>
    IsDirectory = 31,

    /// <summary><c>loop</c> (32).</summary>
    Loop = 32,

    /// <summary><c>mfile</c> (33).</summary>
    TooManyFiles = 33,

    /// <summary><c>mlink</c> (34).</summary>
    TooManyLinks = 34,

    /// <summary><c>msgsize</c> (35).</summary>
    MessageSize = 35,

    /// <summary><c>multihop</c> (36).</summary>
    MultiHop = 36,

    /// <summary><c>nametoolong</c> (37).</summary>
    NameTooLong = 37,

    /// <summary><c>netdown</c> (38).</summary>
    NetworkDown = 38,

    /// <summary><c>netreset</c> (39).</summary>
    NetworkReset = 39,

    /// <summary><c>netunreach</c> (40).</summary>
    NetworkUnreachable = 40,

    /// <summary><c>nfile</c> (41).</summary>
    TooManyFilesInSystem = 41,

    /// <summary><c>nobufs</c> (42).</summary>
    NoBufferSpace = 42,

    /// <summary><c>nodev</c> (43).</summary>
    NoDevice = 43,

    /// <summary><c>noent</c> (44).</summary>
    NoEntry = 44,

    /// <summary><c>noexec</c> (45).</summary>
    ExecFormat = 45,

    /// <summary><c>nolck</c> (46).</summary>
    NoLock = 46,

    /// <summary><c>nolink</c> (47).</summary>
    NoLink = 47,

    /// <summary><c>nomem</c> (48).</summary>
    NoMemory = 48,

    /// <summary><c>nomsg</c> (49).</summary>
    NoMessage = 49,

    /// <summary><c>noprotoopt</c> (50).</summary>
    NoProtocolOption = 50,

    /// <summary><c>nospc</c> (51).</summary>
    NoSpace = 51,

    /// <summary><c>nosys</c> (52).</summary>
    NoSys = 52,

    /// <summary><c>notconn</c> (53).</summary>
    NotConnected = 53,

    /// <summary><c>notdir</c> (54).</summary>
    NotDirectory = 54,

    /// <summary><c>notempty</c> (55).</summary>
    NotEmpty = 55,

    /// <summary><c>notrecoverable</c> (56).</summary>
    NotRecoverable = 56,

    /// <summary><c>notsock</c> (57).</summary>
    NotSocket = 57,

    /// <summary><c>notsup</c> (58).</summary>
    NotSupported = 58,

    /// <summary><c>notty</c> (59).</summary>
    NotTty = 59,

    /// <summary><c>nxio</c> (60).</summary>
    NoSuchDeviceOrAddress = 60,

    /// <summary><c>overflow</c> (61).</summary>
    Overflow = 61,

    /// <summary><c>ownerdead</c> (62).</summary>
    OwnerDead = 62,

    /// <summary><c>perm</c> (63).</summary>
    Permission = 63,

    /// <summary><c>pipe</c> (64).</summary>
    Pipe = 64,

    /// <summary><c>proto</c> (65).</summary>
    Protocol = 65,

    /// <summary><c>protonosupport</c> (66).</summary>
    ProtocolNotSupported = 66,

    /// <summary><c>prototype</c> (67).</summary>
    ProtocolType = 67,

    /// <summary><c>range</c> (68).</summary>
    Range = 68,

    /// <summary><c>rofs</c> (69).</summary>
    ReadOnlyFileSystem = 69,

    /// <summary><c>spipe</c> (70).</summary>
    InvalidSeek = 70,

    /// <summary><c>srch</c> (71).</summary>
    NoProcess = 71,

    /// <summary><c>stale</c> (72).</summary>
    Stale = 72,

    /// <summary><c>timedout</c> (73).</summary>
    TimedOut = 73,

    /// <summary><c>txtbsy</c> (74).</summary>
    TextBusy = 74,

    /// <summary><c>xdev</c> (75).</summary>
    CrossDevice = 75,

    /// <summary><c>notcapable</c> (76).</summary>
    NotCapable = 76,
}
