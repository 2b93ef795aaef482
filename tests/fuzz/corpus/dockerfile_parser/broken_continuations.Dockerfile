FROM a
RUN echo \

  b \
CMD ["unterminated
ADD <<A <<B /x
A
B
