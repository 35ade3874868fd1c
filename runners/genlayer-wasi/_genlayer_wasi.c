/*
 * _genlayer_wasi: the builtin module through which the genlayer SDK talks to GenVM (python-sdk.md §18.2).
 * Each function is a thin wrapper over one wasm import of module "genlayer_sdk" (wasm-abi.md §3). Every import
 * returns a u32 errno; a non-zero one becomes SystemError("<n>: <name>"), the exact text contracts observe.
 * Built into the interpreter statically by runners/build-python.sh (registered in the builtin module table).
 */
#define PY_SSIZE_T_CLEAN
#include "Python.h"

#include <stdint.h>

#define GENLAYER_IMPORT(name) __attribute__((import_module("genlayer_sdk"), import_name(#name)))

GENLAYER_IMPORT(storage_read)
uint32_t genlayer_sdk_storage_read(const uint8_t *slot, uint32_t index, uint8_t *buf, uint32_t buf_len);

GENLAYER_IMPORT(storage_write)
uint32_t genlayer_sdk_storage_write(const uint8_t *slot, uint32_t index, const uint8_t *buf, uint32_t buf_len);

GENLAYER_IMPORT(get_balance)
uint32_t genlayer_sdk_get_balance(const uint8_t *address, uint8_t *result);

GENLAYER_IMPORT(get_self_balance)
uint32_t genlayer_sdk_get_self_balance(uint8_t *result);

GENLAYER_IMPORT(gl_call)
uint32_t genlayer_sdk_gl_call(const uint8_t *request, uint32_t request_len, uint32_t *fd_out);

enum { SLOT_SIZE = 32, ADDRESS_SIZE = 20, BALANCE_SIZE = 32 };

/* Errno names of the genlayer_sdk namespace (wasm-abi.md §3). */
static const char *const errno_names[] = {
    "success", "overflow", "inval", "fault", "ilseq", "io", "forbidden", "inbalance",
};

/* Returns 0 on success; otherwise sets SystemError("<n>: <name>") and returns -1. */
static int
check_errno(uint32_t code)
{
    if (code == 0) {
        return 0;
    }
    const char *name = code < sizeof(errno_names) / sizeof(errno_names[0]) ? errno_names[code] : "unknown";
    PyErr_Format(PyExc_SystemError, "%u: %s", (unsigned)code, name);
    return -1;
}

/* Converts a Python int to a u32 offset: negative or too large raises OverflowError. */
static int
to_u32(PyObject *obj, uint32_t *out)
{
    unsigned long value = PyLong_AsUnsignedLong(obj);
    if (value == (unsigned long)-1 && PyErr_Occurred()) {
        return -1;
    }
    if (value > UINT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "offset does not fit in u32");
        return -1;
    }
    *out = (uint32_t)value;
    return 0;
}

static int
check_size(const Py_buffer *buffer, Py_ssize_t size, const char *what)
{
    if (buffer->len != size) {
        PyErr_Format(PyExc_ValueError, "%s must be %zd bytes, got %zd", what, size, buffer->len);
        return -1;
    }
    return 0;
}

static PyObject *
balance_to_int(const uint8_t *bytes)
{
    return PyLong_FromUnsignedNativeBytes(bytes, BALANCE_SIZE,
                                          Py_ASNATIVEBYTES_LITTLE_ENDIAN | Py_ASNATIVEBYTES_UNSIGNED_BUFFER);
}

PyDoc_STRVAR(storage_read_doc, "storage_read(slot, off, buf, /)\n--\n\nFill the writable buf from offset off of slot.");

static PyObject *
genlayer_storage_read(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "storage_read expected 3 arguments, got %zd", nargs);
        return NULL;
    }
    Py_buffer slot, buf;
    uint32_t off;
    if (to_u32(args[1], &off) < 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(args[0], &slot, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(args[2], &buf, PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&slot);
        return NULL;
    }
    PyObject *result = NULL;
    if (check_size(&slot, SLOT_SIZE, "slot") == 0
        && check_errno(genlayer_sdk_storage_read(slot.buf, off, buf.buf, (uint32_t)buf.len)) == 0) {
        result = Py_NewRef(Py_None);
    }
    PyBuffer_Release(&buf);
    PyBuffer_Release(&slot);
    return result;
}

PyDoc_STRVAR(storage_write_doc, "storage_write(slot, off, data, /)\n--\n\nWrite data at offset off of slot.");

static PyObject *
genlayer_storage_write(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "storage_write expected 3 arguments, got %zd", nargs);
        return NULL;
    }
    Py_buffer slot, data;
    uint32_t off;
    if (to_u32(args[1], &off) < 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(args[0], &slot, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(args[2], &data, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&slot);
        return NULL;
    }
    PyObject *result = NULL;
    if (check_size(&slot, SLOT_SIZE, "slot") == 0
        && check_errno(genlayer_sdk_storage_write(slot.buf, off, data.buf, (uint32_t)data.len)) == 0) {
        result = Py_NewRef(Py_None);
    }
    PyBuffer_Release(&data);
    PyBuffer_Release(&slot);
    return result;
}

PyDoc_STRVAR(get_balance_doc, "get_balance(address, /)\n--\n\nBalance of a 20-byte address.");

static PyObject *
genlayer_get_balance(PyObject *module, PyObject *arg)
{
    Py_buffer address;
    if (PyObject_GetBuffer(arg, &address, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    uint8_t balance[BALANCE_SIZE] = {0};
    PyObject *result = NULL;
    if (check_size(&address, ADDRESS_SIZE, "address") == 0
        && check_errno(genlayer_sdk_get_balance(address.buf, balance)) == 0) {
        result = balance_to_int(balance);
    }
    PyBuffer_Release(&address);
    return result;
}

PyDoc_STRVAR(get_self_balance_doc, "get_self_balance()\n--\n\nBalance of the executing contract.");

static PyObject *
genlayer_get_self_balance(PyObject *module, PyObject *unused)
{
    uint8_t balance[BALANCE_SIZE] = {0};
    if (check_errno(genlayer_sdk_get_self_balance(balance)) < 0) {
        return NULL;
    }
    return balance_to_int(balance);
}

PyDoc_STRVAR(gl_call_doc, "gl_call(request, /)\n--\n\nSend a calldata request; return the result fd (2**32-1: none).");

static PyObject *
genlayer_gl_call(PyObject *module, PyObject *arg)
{
    Py_buffer request;
    if (PyObject_GetBuffer(arg, &request, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    uint32_t fd = UINT32_MAX;
    uint32_t code = genlayer_sdk_gl_call(request.buf, (uint32_t)request.len, &fd);
    PyBuffer_Release(&request);
    if (check_errno(code) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLong(fd);
}

static PyMethodDef genlayer_methods[] = {
    {"storage_read", (PyCFunction)(void (*)(void))genlayer_storage_read, METH_FASTCALL, storage_read_doc},
    {"storage_write", (PyCFunction)(void (*)(void))genlayer_storage_write, METH_FASTCALL, storage_write_doc},
    {"get_balance", genlayer_get_balance, METH_O, get_balance_doc},
    {"get_self_balance", genlayer_get_self_balance, METH_NOARGS, get_self_balance_doc},
    {"gl_call", genlayer_gl_call, METH_O, gl_call_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef genlayer_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_genlayer_wasi",
    .m_doc = "GenVM host calls (wasm imports of module genlayer_sdk).",
    .m_size = 0,
    .m_methods = genlayer_methods,
};

PyMODINIT_FUNC
PyInit__genlayer_wasi(void)
{
    return PyModuleDef_Init(&genlayer_module);
}
