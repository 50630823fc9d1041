#pragma once
/// \file types.hpp
/// Eigen aliases used across govsim. Everything is on `double`; dense matrices are column-major
/// (Eigen's default, the layout LAPACK and numpy's Fortran order use), `Index` is Eigen's signed
/// index type, and `Names` labels rows or columns in the order of the data (sectors, variables,
/// shocks). Results that carry labelled data hold the values and their `Names` side by side.
///
/// \code
/// govsim::Matrix A = govsim::Matrix::Identity(3, 3);   // dense, column-major
/// govsim::Vector x = A.col(0);
/// govsim::Names sectors{"agriculture", "manufacturing", "services"};
/// \endcode

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include <string>
#include <vector>

namespace govsim {

using Index = Eigen::Index;                                   ///< signed index type (Eigen's)
using Vector = Eigen::VectorXd;                               ///< column vector
using RowVector = Eigen::RowVectorXd;                         ///< row vector
using Matrix = Eigen::MatrixXd;                               ///< column-major dense matrix
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;  ///< row-major dense matrix
using ComplexVector = Eigen::VectorXcd;                       ///< complex column vector
using SparseMatrix = Eigen::SparseMatrix<double>;             ///< column-major sparse matrix
using Names = std::vector<std::string>;                       ///< ordered labels

}  // namespace govsim
