#pragma once
// Internal: limit BLAS threads inside govsim's own parallel regions, so that k worker threads
// each calling a multi-threaded BLAS do not start k x cores threads (oversubscription).
//
// OpenBLAS's thread count is process-wide; the entry points are weak symbols, so a build linked
// against another BLAS (reference BLAS, MKL) compiles and runs with this guard doing nothing.

extern "C" {
void openblas_set_num_threads(int) __attribute__((weak));
int openblas_get_num_threads(void) __attribute__((weak));
}

namespace govsim::detail {

/// While alive (and `active`), BLAS runs single-threaded; the previous count is restored after.
class BlasThreadLimit {
 public:
  explicit BlasThreadLimit(bool active) {
    if (active && openblas_get_num_threads != nullptr && openblas_set_num_threads != nullptr) {
      previous_ = openblas_get_num_threads();
      if (previous_ > 1) openblas_set_num_threads(1);
      else previous_ = -1;
    }
  }
  ~BlasThreadLimit() {
    if (previous_ > 1) openblas_set_num_threads(previous_);
  }
  BlasThreadLimit(const BlasThreadLimit&) = delete;
  BlasThreadLimit& operator=(const BlasThreadLimit&) = delete;

 private:
  int previous_ = -1;
};

}  // namespace govsim::detail
