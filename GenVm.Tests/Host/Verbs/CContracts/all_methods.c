/*
 * A freestanding C contract (no libc) that calls every genlayer_sdk function and every gl_call kind
 * (wasm-abi.md §3, §4). Built by the tests with clang-19 --target=wasm32 -nostdlib.
 *
 * The VM's role comes from its message on fd 0 (wasm-abi.md §6), decoded here with a small calldata reader:
 *   entry_kind 0, empty stack  -> the top-level VM: entry_data (the host's calldata) is a Str command;
 *   entry_kind 0, stack != []  -> a called contract: returns Bytes(entry_data);
 *   entry_kind 1               -> a sandbox: returns Bytes(entry_data);
 *   entry_kind 2               -> a nondet leader/validator: entry_data[0] picks what it does.
 * The top-level "script" command runs every step, appending the errno and what the step produced
 * (bytes read, a balance, a result file) to an output buffer, prints a line to stdout, and returns
 * Bytes(output). Other commands end the VM in other ways (rollback, trap, exit, return of a value).
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

#define IMPORT(m, n) __attribute__((import_module(m), import_name(n)))
IMPORT("genlayer_sdk", "storage_read") u32 storage_read(const u8 *slot, u32 index, u8 *buf, u32 len);
IMPORT("genlayer_sdk", "storage_write") u32 storage_write(const u8 *slot, u32 index, const u8 *buf, u32 len);
IMPORT("genlayer_sdk", "get_balance") u32 get_balance(const u8 *address, u8 *result);
IMPORT("genlayer_sdk", "get_self_balance") u32 get_self_balance(u8 *result);
IMPORT("genlayer_sdk", "gl_call") u32 gl_call(const u8 *request, u32 len, u32 *fd);
IMPORT("wasi_snapshot_preview1", "fd_read") u32 fd_read(u32 fd, const u32 *iovs, u32 count, u32 *nread);
IMPORT("wasi_snapshot_preview1", "fd_write") u32 fd_write(u32 fd, const u32 *iovs, u32 count, u32 *nwritten);
IMPORT("wasi_snapshot_preview1", "fd_close") u32 fd_close(u32 fd);
IMPORT("wasi_snapshot_preview1", "proc_exit") _Noreturn void proc_exit(u32 code);

void *memcpy(void *dst, const void *src, unsigned long n) {
    u8 *d = dst;
    const u8 *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, unsigned long n) {
    u8 *d = dst;
    while (n--) *d++ = (u8)c;
    return dst;
}

static u32 str_len(const char *s) { u32 n = 0; while (s[n]) n++; return n; }
static int mem_eq(const u8 *a, const u8 *b, u32 n) { for (u32 i = 0; i < n; i++) if (a[i] != b[i]) return 0; return 1; }

/* ---- calldata writer (calldata.md §2, §3) ---- */
typedef struct { u8 *data; u32 len; } writer;
static void put8(writer *w, u8 b) { w->data[w->len++] = b; }
static void put_raw(writer *w, const u8 *p, u32 n) { memcpy(w->data + w->len, p, n); w->len += n; }
static void put_uleb(writer *w, u64 v) { do { u8 b = v & 0x7f; v >>= 7; put8(w, v ? b | 0x80 : b); } while (v); }
static void put_head(writer *w, u64 payload, u8 tag) { put_uleb(w, (payload << 3) | tag); }
static void put_null(writer *w) { put8(w, 0x00); }
static void put_bool(writer *w, int b) { put8(w, b ? 0x10 : 0x08); }
static void put_num(writer *w, u64 v) { put_head(w, v, 1); }
static void put_bytes(writer *w, const u8 *p, u32 n) { put_head(w, n, 3); put_raw(w, p, n); }
static void put_str(writer *w, const char *s) { u32 n = str_len(s); put_head(w, n, 4); put_raw(w, (const u8 *)s, n); }
static void put_arr(writer *w, u32 n) { put_head(w, n, 5); }
static void put_map(writer *w, u32 n) { put_head(w, n, 6); }
static void put_key(writer *w, const char *k) { u32 n = str_len(k); put_uleb(w, n); put_raw(w, (const u8 *)k, n); }
static void put_addr(writer *w, const u8 *a) { put8(w, 0x18); put_raw(w, a, 20); }

/* ---- calldata reader, just enough for the message ---- */
typedef struct { const u8 *p; const u8 *end; } reader;
static u64 get_uleb(reader *r) { u64 v = 0; u32 shift = 0; u8 b; do { b = *r->p++; v |= (u64)(b & 0x7f) << shift; shift += 7; } while (b & 0x80); return v; }
static void skip_value(reader *r) {
    u64 h = get_uleb(r), payload = h >> 3;
    switch (h & 7) {
    case 0: if (payload == 3) r->p += 20; break;
    case 3: case 4: r->p += payload; break;
    case 5: for (u64 i = 0; i < payload; i++) skip_value(r); break;
    case 6: for (u64 i = 0; i < payload; i++) { r->p += get_uleb(r); skip_value(r); } break;
    default: break;
    }
}

static u8 message[4096];
static const u8 *entry_data;
static u32 entry_data_len;
static u64 entry_kind;
static u64 stack_len;

static u32 read_all(u32 fd, u8 *dst, u32 cap) {
    u32 total = 0, n = 0;
    for (;;) {
        u32 iov[2] = {(u32)(dst + total), cap - total};
        if (fd_read(fd, iov, 1, &n) != 0) __builtin_trap();
        if (n == 0) return total;
        total += n;
    }
}

static void parse_message(void) {
    u32 len = read_all(0, message, sizeof message);
    reader r = {message, message + len};
    u64 count = get_uleb(&r) >> 3;
    for (u64 i = 0; i < count; i++) {
        u64 klen = get_uleb(&r);
        const u8 *key = r.p;
        r.p += klen;
        if (klen == 10 && mem_eq(key, (const u8 *)"entry_data", 10)) {
            reader v = r;
            entry_data_len = (u32)(get_uleb(&v) >> 3);
            entry_data = v.p;
        } else if (klen == 10 && mem_eq(key, (const u8 *)"entry_kind", 10)) {
            reader v = r;
            entry_kind = get_uleb(&v) >> 3;
        } else if (klen == 5 && mem_eq(key, (const u8 *)"stack", 5)) {
            reader v = r;
            stack_len = get_uleb(&v) >> 3;
        }
        skip_value(&r);
    }
}

/* ---- ending the VM ---- */
static u8 request_space[8192];
static _Noreturn void finish_with(void (*put)(writer *, const void *, u32), const void *p, u32 n) {
    writer w = {request_space, 0};
    put_map(&w, 1);
    put_key(&w, "Return");
    put(&w, p, n);
    u32 fd;
    gl_call(w.data, w.len, &fd);
    __builtin_trap();
}
static void put_bytes_v(writer *w, const void *p, u32 n) { put_bytes(w, p, n); }
static void put_raw_v(writer *w, const void *p, u32 n) { put_raw(w, p, n); }
static _Noreturn void return_bytes(const u8 *p, u32 n) { finish_with(put_bytes_v, p, n); }
static _Noreturn void return_calldata(const u8 *p, u32 n) { finish_with(put_raw_v, p, n); }

static _Noreturn void rollback(const char *text) {
    writer w = {request_space, 0};
    put_map(&w, 1);
    put_key(&w, "Rollback");
    put_str(&w, text);
    u32 fd;
    gl_call(w.data, w.len, &fd);
    __builtin_trap();
}

/* ---- the script's output ---- */
static u8 out_data[16384];
static writer out = {out_data, 0};
static u8 req_data[4096];

static void errno_step(u32 e) { put8(&out, (u8)e); }

/* gl_call of the request in req_data; the errno, then the whole result file if there is one. */
static void call_step(writer *req) {
    u32 fd = 0;
    u32 e = gl_call(req->data, req->len, &fd);
    put8(&out, (u8)e);
    if (e != 0 || fd == 0xffffffffu) return;
    out.len += read_all(fd, out.data + out.len, sizeof out_data - out.len);
    if (fd_close(fd) != 0) __builtin_trap();
}

static writer begin(const char *variant, u32 fields) {
    writer w = {req_data, 0};
    put_map(&w, 1);
    put_key(&w, variant);
    if (fields) put_map(&w, fields);
    return w;
}

static void print(const char *text) {
    u32 iov[2] = {(u32)text, str_len(text)};
    u32 written;
    fd_write(1, iov, 1, &written);
}

static const u8 other[20] = {3};
static u8 slot_a[32] = {0xa0, 0xa1};
static u8 scratch[64];

static void run_nondet(u8 leader, u8 validator) {
    writer w = begin("RunNondet", 2);
    put_key(&w, "data_leader"); put_bytes(&w, &leader, 1);
    put_key(&w, "data_validator"); put_bytes(&w, &validator, 1);
    call_step(&w);
}

static _Noreturn void script(void) {
    writer w;
    /* genlayer_sdk functions (§3) */
    errno_step(storage_write(slot_a, 0, (const u8 *)"hello", 5));
    u32 e = storage_read(slot_a, 1, scratch, 4);
    errno_step(e); if (!e) put_raw(&out, scratch, 4);
    e = get_balance(other, scratch);
    errno_step(e); if (!e) put_raw(&out, scratch, 32);
    e = get_self_balance(scratch);
    errno_step(e); if (!e) put_raw(&out, scratch, 32);
    errno_step(storage_read(slot_a, 0xffffffffu, scratch, 2));              /* index + len overflows: inval */

    /* every gl_call kind (§4) */
    w = begin("PostMessage", 4);
    put_key(&w, "address"); put_addr(&w, other);
    put_key(&w, "calldata"); put_map(&w, 0);
    put_key(&w, "on"); put_str(&w, "finalized");
    put_key(&w, "value"); put_num(&w, 5);
    call_step(&w);
    w = begin("DeployContract", 5);
    put_key(&w, "calldata"); put_map(&w, 0);
    put_key(&w, "code"); put_bytes(&w, (const u8 *)"\0asm", 4);
    put_key(&w, "on"); put_str(&w, "accepted");
    put_key(&w, "salt_nonce"); put_num(&w, 1);
    put_key(&w, "value"); put_num(&w, 0);
    call_step(&w);
    w = begin("EthSend", 3);
    put_key(&w, "address"); put_addr(&w, other);
    put_key(&w, "calldata"); put_bytes(&w, (const u8 *)"\x12\x34", 2);
    put_key(&w, "value"); put_num(&w, 0);
    call_step(&w);
    w = begin("EthCall", 2);
    put_key(&w, "address"); put_addr(&w, other);
    put_key(&w, "calldata"); put_bytes(&w, (const u8 *)"\x56", 1);
    call_step(&w);
    w = begin("EmitEvent", 2);
    put_key(&w, "blob"); put_map(&w, 1); put_key(&w, "n"); put_num(&w, 1);
    put_key(&w, "topics"); put_arr(&w, 1); put_bytes(&w, slot_a, 32);
    call_step(&w);
    w = begin("Trace", 1);
    put_key(&w, "Message"); put_str(&w, "from C");
    call_step(&w);
    w = begin("Trace", 0);
    put_str(&w, "RuntimeMicroSec");
    call_step(&w);
    w = begin("CallContract", 3);
    put_key(&w, "address"); put_addr(&w, other);
    put_key(&w, "calldata"); put_str(&w, "hi");
    put_key(&w, "state"); put_num(&w, 1);
    call_step(&w);
    w = begin("Sandbox", 2);
    put_key(&w, "allow_write_ops"); put_bool(&w, 0);
    put_key(&w, "data"); put_bytes(&w, (const u8 *)"sbx", 3);
    call_step(&w);
    run_nondet('W', 0);   /* call 0, leader: WebRender */
    run_nondet('Q', 0);   /* call 1, leader: WebRequest */
    run_nondet('P', 0);   /* call 2, leader: ExecPrompt */
    run_nondet('T', 0);   /* call 3, leader: ExecPromptTemplate */
    run_nondet('S', 0);   /* call 4, leader: storage_read is forbidden in a non-det VM */
    run_nondet(0, 'V');   /* call 5, validator that agrees */
    run_nondet(0, 'F');   /* call 6, validator that disagrees */
    /* errors: bad request, too much value (inbalance), a Return with no value (inval) */
    w = begin("Nope", 0); put_null(&w);
    call_step(&w);
    w = begin("PostMessage", 4);
    put_key(&w, "address"); put_addr(&w, other);
    put_key(&w, "calldata"); put_map(&w, 0);
    put_key(&w, "on"); put_str(&w, "finalized");
    put_key(&w, "value"); put_num(&w, 1000000);
    call_step(&w);
    print("c contract: script done\n");
    return_bytes(out.data, out.len);
}

static _Noreturn void nondet(void) {
    writer w;
    u8 op = entry_data_len ? entry_data[0] : 0;
    switch (op) {
    case 'W':
        w = begin("WebRender", 2);
        put_key(&w, "mode"); put_str(&w, "text");
        put_key(&w, "url"); put_str(&w, "https://c.test/");
        break;
    case 'Q':
        w = begin("WebRequest", 3);
        put_key(&w, "headers"); put_map(&w, 0);
        put_key(&w, "method"); put_str(&w, "GET");
        put_key(&w, "url"); put_str(&w, "https://c.test/api");
        break;
    case 'P':
        w = begin("ExecPrompt", 2);
        put_key(&w, "images"); put_arr(&w, 0);
        put_key(&w, "prompt"); put_str(&w, "say hi");
        break;
    case 'T':
        w = begin("ExecPromptTemplate", 4);
        put_key(&w, "leader_answer"); put_str(&w, "a");
        put_key(&w, "principle"); put_str(&w, "same");
        put_key(&w, "template"); put_str(&w, "EqComparative");
        put_key(&w, "validator_answer"); put_str(&w, "a");
        break;
    case 'S': {
        u8 e = (u8)storage_read(slot_a, 0, scratch, 1);
        return_bytes(&e, 1);
    }
    case 'V': return_calldata((const u8 *)"\x10", 1);
    case 'F': return_calldata((const u8 *)"\x08", 1);
    default: rollback("unknown nondet op");
    }
    u32 fd;
    u32 e = gl_call(w.data, w.len, &fd);
    if (e != 0) proc_exit(100 + e);
    static u8 file[4096];
    u32 len = read_all(fd, file, sizeof file);
    return_bytes(file, len);
}

void _start(void) {
    parse_message();
    if (entry_kind == 2) nondet();
    if (entry_kind == 1 || stack_len != 0) return_bytes(entry_data, entry_data_len);

    /* The top-level VM: entry_data is the calldata Str command. */
    if (entry_data_len >= 1 && (entry_data[0] & 7) == 4) {
        const u8 *text = entry_data + 1;
        u32 n = entry_data_len - 1;
        if (n == 6 && mem_eq(text, (const u8 *)"script", 6)) script();
        if (n == 8 && mem_eq(text, (const u8 *)"rollback", 8)) rollback("c says no");
        if (n == 4 && mem_eq(text, (const u8 *)"trap", 4)) __builtin_trap();
        if (n == 4 && mem_eq(text, (const u8 *)"exit", 4)) proc_exit(3);
    }
    /* Anything else: return the calldata it was given. */
    return_calldata(entry_data, entry_data_len);
}
