#pragma once
// Shared declarations for the govsim._core bindings: every bind_<feature>.cpp registers itself.
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <govsim/core/error.hpp>
#include <govsim/core/status.hpp>

#include <atomic>
#include <csignal>
#include <functional>
#include <memory>
#include <string>

namespace govsim::python {
namespace py = pybind11;

/// The one registration mechanism of the bindings, so that a new bind_<feature>.cpp needs no
/// edit elsewhere: at namespace scope write
///   const govsim::python::BindingRegistrar reg("policy", 50, &bind_policy);
/// Registered functions run on the named submodule of govsim._core ("" = top level; the
/// submodules match the Python modules) in increasing `order`, so a feature may use types bound
/// by a lower order: core 0, io 10, dsge 20 and 30, features from 50.
struct BindingRegistrar {
  BindingRegistrar(const char* submodule, int order, void (*bind)(py::module_&));
};

/// Run every registered binding function (called once, by module.cpp).
void run_registered_bindings(py::module_& m);

/// `fields` set on a Python copy of `base` (keyword -> def_readwrite field): the one place where
/// keywords fill a bound Options struct; unknown or private names are OptionsError.
template <class T>
T with_fields(const T& base, const py::kwargs& fields, const char* name) {
  py::object o = py::cast(T(base), py::return_value_policy::move);  // a copy, never `base` itself
  for (const auto& item : fields) {
    const auto key = item.first.cast<std::string>();
    if (!py::hasattr(o, key.c_str()) || key.rfind("_", 0) == 0)
      throw OptionsError(std::string(name) + ": unknown option '" + key + "'");
    o.attr(key.c_str()) = item.second;
  }
  return o.cast<T>();
}

/// Keyword constructor and `replace` of an Options struct bound with def_readwrite:
/// `T(**fields)` starts from the C++ defaults, `options.replace(**fields)` from a copy of
/// `options` (as dataclasses.replace); both go through with_fields().
template <class T>
void keyword_init(py::class_<T>& cls, const char* name) {
  cls.def(py::init([name](const py::kwargs& kw) { return with_fields(T{}, kw, name); }),
          (std::string(name) + "(**options): every field below as a keyword (unset: the C++ default)").c_str());
  cls.def(
      "replace", [name](const T& self, const py::kwargs& kw) { return with_fields(self, kw, name); },
      (std::string("A copy of these ") + name + " with the given fields replaced").c_str());
}

}  // namespace govsim::python

namespace govsim::python {

/// Set by SIGINT while an InterruptScope is alive; progress callbacks then stop the run.
inline std::atomic<bool>& interrupt_flag() {
  static std::atomic<bool> flag{false};
  return flag;
}

/// `opts` (an Options struct with an `on_iteration` progress callback) whose empty callback is
/// replaced by a watcher of interrupt_flag(), so that Ctrl-C stops the run inside an
/// InterruptScope (a callback set from Python already does: see the converter below).
template <class T>
T watch_interrupt(const T& opts) {
  T o = opts;
  if (!o.on_iteration) o.on_iteration = [](const IterationInfo&) { return !interrupt_flag().load(); };
  return o;
}

/// Ctrl-C handling around a long run with the GIL released (MCMC, optimizers, sweeps): while
/// alive, SIGINT sets interrupt_flag() (Python cannot see the signal until the run returns), so
/// the run's progress callback returns "stop" within one callback interval and the partial
/// result comes back with status UserStopped. The previous handler is restored afterwards.
/// Only the main thread installs a handler (signals are delivered to Python's main thread).
class InterruptScope {
 public:
  InterruptScope() {
    interrupt_flag() = false;
    if (!is_main_thread()) return;
    struct sigaction sa {};
    sa.sa_handler = [](int) { interrupt_flag() = true; };
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    installed_ = sigaction(SIGINT, &sa, &previous_) == 0;
  }
  ~InterruptScope() {
    if (installed_) sigaction(SIGINT, &previous_, nullptr);
  }
  /// True when Ctrl-C was pressed during the scope.
  static bool interrupted() { return interrupt_flag().load(); }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  /// Identify the main thread (called once at import, which runs on the main thread).
  static bool is_main_thread(bool set_current = false) {
    static std::atomic<unsigned long> main_id{0};
    unsigned long me = PyThread_get_thread_ident();
    if (set_current) main_id = me;
    return main_id.load() == me;
  }

 private:
  struct sigaction previous_ {};
  bool installed_ = false;
};

/// True for the explicit "stop" values of a progress callback: False (Python or numpy). None,
/// True and anything else continue, so a callback that only prints does not stop the run.
inline bool is_stop_value(const py::handle& r) {
  if (r.ptr() == Py_False) return true;
  if (r.is_none() || r.ptr() == Py_True) return false;
  std::string tn = Py_TYPE(r.ptr())->tp_name;
  if (tn == "numpy.bool_" || tn == "numpy.bool") return PyObject_IsTrue(r.ptr()) == 0;
  return false;
}

}  // namespace govsim::python

namespace pybind11::detail {

/// Progress callbacks (`on_iteration`): a Python callable returning False stops the run, None
/// or True continues; Ctrl-C inside an InterruptScope stops it too (even without a callback:
/// None becomes a function that only watches for Ctrl-C).
template <>
struct type_caster<std::function<bool(const govsim::IterationInfo&)>> {
  using F = std::function<bool(const govsim::IterationInfo&)>;
  PYBIND11_TYPE_CASTER(F, const_name("Callable[[IterationInfo], Optional[bool]]"));

  bool load(handle src, bool) {
    if (src.is_none()) {
      value = [](const govsim::IterationInfo&) { return !govsim::python::interrupt_flag().load(); };
      return true;
    }
    if (!PyCallable_Check(src.ptr())) return false;
    struct Holder {
      object fn;
      explicit Holder(object f) : fn(std::move(f)) {}
      ~Holder() {
        if (!Py_IsInitialized()) {
          fn.release();
          return;
        }
        gil_scoped_acquire g;
        fn = object();
      }
    };
    auto h = std::make_shared<Holder>(reinterpret_borrow<object>(src));
    value = [h](const govsim::IterationInfo& info) -> bool {
      if (govsim::python::interrupt_flag().load()) return false;
      gil_scoped_acquire g;
      object r = h->fn(info);
      return !govsim::python::is_stop_value(r);
    };
    return true;
  }

  static handle cast(const F& f, return_value_policy, handle) {
    if (!f) return none().release();
    return cpp_function(f).release();
  }
};

}  // namespace pybind11::detail
