#include "ui/services/imageconvert.h"

#include <QBuffer>

#include <opencv2/imgproc.hpp>

#include "core/image/image_io.h"

namespace shenbi::ui {

QImage matToQImage(const cv::Mat& mat) {
    if (mat.empty() || mat.depth() != CV_8U) return {};
    cv::Mat rgb;
    switch (mat.channels()) {
        case 1:
            cv::cvtColor(mat, rgb, cv::COLOR_GRAY2RGB);
            break;
        case 4:
            cv::cvtColor(mat, rgb, cv::COLOR_RGBA2RGB);
            break;
        case 3:
            rgb = mat;
            break;
        default:
            return {};
    }
    QImage view(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step), QImage::Format_RGB888);
    return view.copy();  // the mat's buffer dies with it
}

cv::Mat qImageToMat(const QImage& image) {
    if (image.isNull()) return {};
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()),
                 static_cast<size_t>(rgb.bytesPerLine()));
    return view.clone();
}

QImage readModelPicture(const QString& path, int side, QString* error) {
    auto mat = read_image(path.toStdString());
    if (!mat) {
        if (error) *error = QString::fromStdString(mat.message());
        return {};
    }
    return matToQImage(resize_center_crop(*mat, side));
}

QByteArray encodePng(const QImage& image) {
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    image.save(&buf, "PNG");
    return bytes;
}

QImage upscale(const QImage& image, int factor, UpscaleFilter filter) {
    if (factor <= 1 || image.isNull()) return image;
    const cv::Mat src = qImageToMat(image);
    cv::Mat dst;
    cv::resize(src, dst, cv::Size(src.cols * factor, src.rows * factor), 0, 0,
               filter == UpscaleFilter::Nearest ? cv::INTER_NEAREST : cv::INTER_LANCZOS4);
    return matToQImage(dst);
}

}  // namespace shenbi::ui
