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
 *   genvm_run_unfinalized() the same for a -c program without tearing the interpreter down (see below); any other
 *                          program falls back to genvm_run
 * Nothing here reads the clock, random bytes or stdin: whatever the interpreter's own start-up reads is what a
 * normal run reads, and the embedder's WASI recorder decides whether that state may be snapshotted.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wasi/api.h>
#include "Python.h"

#define GENVM_EXPORT(name) __attribute__((export_name(name)))

static int genvm_initialised;
static wchar_t *genvm_command;  /* config.run_command when argv runs a -c program (and nothing interactive) */
static int genvm_safe_path;

/* Non-static CPython functions that Modules/main.c uses but no public header declares (static link, 3.13). */
extern int _PyRun_SimpleStringFlagsWithName(const char *command, const char *name, PyCompilerFlags *flags);
extern int _PyPathConfig_ComputeSysPath0(const PyWideStringList *argv, PyObject **path0);

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
        if (!PyStatus_Exception(status) && config.run_command != NULL && config.run_module == NULL
            && config.run_filename == NULL && !config.interactive && !config.inspect) {
            size_t size = (wcslen(config.run_command) + 1) * sizeof(wchar_t);
            genvm_command = malloc(size);
            if (genvm_command != NULL) {
                memcpy(genvm_command, config.run_command, size);
            }
            genvm_safe_path = config.safe_path;
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

/*
 * Modules/main.c's pymain_run_python + pymain_run_command for a -c program (sys.path[0], the audit event, the run
 * under the name "<string>"), then only the parts of Py_FinalizeEx a program can observe from outside: threading's
 * shutdown hook, the atexit callbacks and the flush of sys.stdout / sys.stderr (a failed flush exits 120, like
 * Py_RunMain). The interpreter is not torn down: the instance is discarded or restored from its snapshot afterwards,
 * so the module teardown and the final collections (about two thirds of a print(1+1) run) would be wasted. What a
 * program no longer sees: __del__ methods and weakref callbacks that only the teardown would trigger.
 * A SystemExit still goes through Py_Exit (complete finalisation), as in a normal run.
 */
GENVM_EXPORT("genvm_run_unfinalized")
void genvm_run_unfinalized(void)
{
    if (!genvm_initialised) {
        exit(2);
    }
    if (genvm_command == NULL) {
        genvm_run();
    }

    int code = 1;
    if (!genvm_safe_path) {
        /* _PyPathConfig_ComputeSysPath0 gives "" for -c. */
        const wchar_t *items[] = {L"-c"};
        PyWideStringList argv = {1, (wchar_t **)items};
        PyObject *path0 = NULL;
        PyObject *path = PySys_GetObject("path");
        if (_PyPathConfig_ComputeSysPath0(&argv, &path0) < 0 || path == NULL
            || (path0 != NULL && PyList_Insert(path, 0, path0) < 0)) {
            Py_XDECREF(path0);
            PyErr_Print();
            exit(1);
        }
        Py_XDECREF(path0);
    }

    PyObject *unicode = PyUnicode_FromWideChar(genvm_command, -1);
    if (unicode == NULL || PySys_Audit("cpython.run_command", "O", unicode) < 0) {
        PyErr_Print();
        exit(1);
    }
    PyObject *bytes = PyUnicode_AsUTF8String(unicode);
    Py_DECREF(unicode);
    if (bytes == NULL) {
        PySys_WriteStderr("Unable to decode the command from the command line:\n");
        PyErr_Print();
        exit(1);
    }
    PyCompilerFlags cf = _PyCompilerFlags_INIT;
    cf.cf_flags |= PyCF_IGNORE_COOKIE;
    code = _PyRun_SimpleStringFlagsWithName(PyBytes_AsString(bytes), "<string>", &cf) != 0;
    Py_DECREF(bytes);

    /* Py_FinalizeEx: wait_for_thread_shutdown, then the atexit callbacks, then flush_std_files. */
    PyObject *modules = PyImport_GetModuleDict();
    PyObject *threading = modules ? PyDict_GetItemString(modules, "threading") : NULL;
    if (threading != NULL) {
        PyObject *result = PyObject_CallMethod(threading, "_shutdown", NULL);
        if (result == NULL) {
            PyErr_WriteUnraisable(threading);
        }
        Py_XDECREF(result);
    }
    PyObject *atexit = PyImport_ImportModule("atexit");
    PyObject *ran = atexit ? PyObject_CallMethod(atexit, "_run_exitfuncs", NULL) : NULL;
    if (ran == NULL) {
        PyErr_Clear();
    }
    Py_XDECREF(ran);
    Py_XDECREF(atexit);
    const char *streams[] = {"stdout", "stderr"};
    for (int i = 0; i < 2; i++) {
        PyObject *stream = PySys_GetObject(streams[i]);
        if (stream != NULL && stream != Py_None) {
            PyObject *flushed = PyObject_CallMethod(stream, "flush", NULL);
            if (flushed == NULL) {
                PyErr_WriteUnraisable(stream);
                code = 120;
            }
            Py_XDECREF(flushed);
        }
    }
    exit(code);
}
