/*
 * A reactor entry for CPython on wasm32-wasi, linked from the same objects as python.wasm (runners/build-python.sh,
 * step 8) instead of Programs/python.o. It splits Py_BytesMain (Modules/main.c: pymain_init, then Py_RunMain) at
 * the one point where no interpreter code is running, so an embedder can snapshot the instance after start-up
 * and restore it instead of starting again (docs/decisions.md, "Instance snapshots").
 *
 * Exports, called in this order by the embedder:
 *   _initialize            (crt1-reactor.o) the C constructors, what _start does before main
 *   genvm_init() -> i32    pymain_init with the WASI argv: 0 when initialised, else the exit code to report
 *   genvm_alloc(n) -> ptr  optional: a buffer for genvm_import's argument
 *   genvm_import(p) -> i32 optional: imports each module of the comma-separated NUL-terminated list at p; 0 or -1
 *   genvm_run()            Py_RunMain (the -c string, module or file of argv, then finalisation), then exit(code)
 * Nothing here reads the clock, random bytes or stdin: whatever the interpreter's own start-up reads is what a
 * normal run reads, and the embedder's WASI recorder decides whether that state may be snapshotted.
 */
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>
#include "Python.h"

#define GENVM_EXPORT(name) __attribute__((export_name(name)))

static int genvm_initialised;

GENVM_EXPORT("genvm_init")
int genvm_init(void)
{
    if (genvm_initialised) {
        return 2;
    }

    __wasi_size_t argc = 0, size = 0;
    if (__wasi_args_sizes_get(&argc, &size) != 0) {
        return 71; /* EX_OSERR, like a failed __main_void */
    }

    char **argv = calloc(argc + 1, sizeof(char *));
    char *buffer = malloc(size ? size : 1);
    if (argv == NULL || buffer == NULL || __wasi_args_get((uint8_t **)argv, (uint8_t *)buffer) != 0) {
        return 71;
    }

    /* Modules/main.c pymain_init with bytes argv; Py_PreInitializeFromBytesArgs initialises the runtime first. */
    PyPreConfig preconfig;
    PyPreConfig_InitPythonConfig(&preconfig);
    PyStatus status = Py_PreInitializeFromBytesArgs(&preconfig, (Py_ssize_t)argc, argv);
    if (!PyStatus_Exception(status)) {
        PyConfig config;
        PyConfig_InitPythonConfig(&config);
        status = PyConfig_SetBytesArgv(&config, (Py_ssize_t)argc, argv);
        if (!PyStatus_Exception(status)) {
            status = Py_InitializeFromConfig(&config);
        }
        PyConfig_Clear(&config);
    }

    /* argv stays allocated, as the C runtime's copy does for the whole run of a command. */
    if (PyStatus_IsExit(status)) {
        return status.exitcode != 0 ? status.exitcode : 1;
    }
    if (PyStatus_Exception(status)) {
        Py_ExitStatusException(status); /* prints and exits, like pymain_exit_error */
    }

    genvm_initialised = 1;
    return 0;
}

GENVM_EXPORT("genvm_alloc")
void *genvm_alloc(size_t size)
{
    return malloc(size ? size : 1);
}

GENVM_EXPORT("genvm_import")
int genvm_import(const char *names)
{
    if (!genvm_initialised || names == NULL) {
        return -1;
    }

    const char *start = names;
    while (*start != '\0') {
        const char *end = strchr(start, ',');
        size_t length = end ? (size_t)(end - start) : strlen(start);
        if (length > 0) {
            PyObject *name = PyUnicode_FromStringAndSize(start, (Py_ssize_t)length);
            PyObject *module = name ? PyImport_Import(name) : NULL;
            Py_XDECREF(name);
            if (module == NULL) {
                PyErr_Print();
                return -1;
            }
            Py_DECREF(module);
        }
        if (end == NULL) {
            break;
        }
        start = end + 1;
    }

    return 0;
}

GENVM_EXPORT("genvm_run")
void genvm_run(void)
{
    if (!genvm_initialised) {
        exit(2);
    }

    /* The rest of pymain_main; _start would then run the destructors and proc_exit a non-zero code. */
    exit(Py_RunMain());
}
