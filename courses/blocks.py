from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

INLINE_FEATURES = ["bold", "italic", "link"]
BODY_FEATURES = ["bold", "italic", "link", "ol", "ul", "code"]


class HeadingBlock(blocks.StructBlock):
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2"
    )
    text = blocks.CharBlock(max_length=120, label=_("Text"))

    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        label = _("Heading")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        max_length=200,
        label=_("Alternative text"),
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = blocks.CharBlock(max_length=250, required=False, label=_("Caption"))

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Image with caption")


class VideoBlock(blocks.StructBlock):
    embed = EmbedBlock(required=False, label=_("Video link"), help_text=_("A hosted video URL."))
    file = DocumentChooserBlock(
        required=False, label=_("Uploaded video file"), help_text=_("MP4 or WebM.")
    )
    caption = blocks.CharBlock(max_length=250, required=False, label=_("Caption"))

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")

    def clean(self, value):
        cleaned = super().clean(value)
        if not cleaned.get("embed") and not cleaned.get("file"):
            raise blocks.StructBlockValidationError(
                block_errors={"embed": [_("Give a video link or choose an uploaded file.")]}
            )
        return cleaned


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(max_length=120, required=False, label=_("Link text"))

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/download.html"
        label = _("Downloadable document")


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=BODY_FEATURES, label=_("Text"), icon="pilcrow")
    callout = blocks.RichTextBlock(
        features=INLINE_FEATURES,
        label=_("Key point"),
        icon="warning",
        template="courses/blocks/callout.html",
    )
    table = TableBlock(label=_("Table"), template="courses/blocks/table.html")
    image = CaptionedImageBlock()
    video = VideoBlock()
    download = DownloadBlock()
